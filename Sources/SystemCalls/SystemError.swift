/// A failed system call: which C function failed, and the `errno` it left, read right after the
/// call (before anything else could change it).
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C function that failed, e.g. "open".
    public var call: String
    public var errno: Errno

    public init(call: String, errno: Errno) {
        self.call = call
        self.errno = errno
    }

    /// The system's text for the error, e.g. "Permission denied": what the messages of this
    /// package quote after naming what they tried to do.
    public var reason: String { errno.description }

    /// "open: Permission denied".
    public var description: String { "\(call): \(reason)" }
}
