#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An `errno` value, with names for the ones callers test for.
public struct Errno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The value of `errno` now. Only `SystemCall` reads it, right after the failed call.
    static var current: Errno { Errno(rawValue: errno) }

    /// EINTR: a signal arrived during the call.
    public static let interrupted = Errno(rawValue: EINTR)
    /// EIO: input/output error (also what a write that moves no byte is reported as).
    public static let inputOutput = Errno(rawValue: EIO)
    /// EWOULDBLOCK (EAGAIN on Linux): a non-blocking call would have to wait, e.g. for a lock.
    public static let wouldBlock = Errno(rawValue: EWOULDBLOCK)
    /// EEXIST: the file or folder exists already.
    public static let fileExists = Errno(rawValue: EEXIST)
    /// EACCES: permission denied (for a bind, a port below the first unprivileged one).
    public static let permissionDenied = Errno(rawValue: EACCES)
    /// EADDRINUSE: another socket is bound to the address.
    public static let addressInUse = Errno(rawValue: EADDRINUSE)
    /// EADDRNOTAVAIL: the address is not one of this machine's.
    public static let addressNotAvailable = Errno(rawValue: EADDRNOTAVAIL)

    /// The system's text for the value, `strerror(3)`, e.g. "No such file or directory".
    public var description: String { String(cString: strerror(rawValue)) }
}
