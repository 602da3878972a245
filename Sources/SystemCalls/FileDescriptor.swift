#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file descriptor, and the calls on it: each calls the C function, reads `errno` at once
/// and throws it as a `SystemError`; calls a signal can interrupt are repeated on EINTR.
///
/// A plain value: closing it is the owner's job (`close()`), exactly once.
public struct FileDescriptor: RawRepresentable, Hashable, Sendable {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public static let standardOutput = FileDescriptor(rawValue: 1)
    public static let standardError = FileDescriptor(rawValue: 2)

    /// What the descriptor may do with the file.
    public enum AccessMode: Sendable {
        case readOnly
        case writeOnly
        case readWrite
    }

    /// Flags of `open(2)` beyond the access mode.
    public struct OpenOptions: OptionSet, Sendable {
        public let rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// O_CREAT: create the file when it does not exist (with the permissions given).
        public static let create = OpenOptions(rawValue: O_CREAT)
        /// O_APPEND: every write goes to the end of the file.
        public static let append = OpenOptions(rawValue: O_APPEND)
    }

    /// Opens `path` with `open(2)`; the descriptor is always close-on-exec (O_CLOEXEC), so child
    /// processes never inherit it. `permissions` apply to a file `create`d (less the umask).
    public static func open(
        _ path: String, _ mode: AccessMode, options: OpenOptions = [], permissions: UInt32 = 0o644
    ) throws(SystemError) -> FileDescriptor {
        let access: Int32
        switch mode {
        case .readOnly: access = O_RDONLY
        case .writeOnly: access = O_WRONLY
        case .readWrite: access = O_RDWR
        }
        let flags = access | options.rawValue | O_CLOEXEC
        let raw = try SystemCall.retryingInterrupts("open") { systemOpen(path, flags, mode_t(permissions)) }
        return FileDescriptor(rawValue: raw)
    }

    /// Closes the descriptor with `close(2)`. Never repeated: the descriptor is released even when
    /// close reports an error (on Linux also for EINTR), and might already name another file.
    public func close() throws(SystemError) {
        _ = try SystemCall.once("close") { systemClose(rawValue) }
    }
}
