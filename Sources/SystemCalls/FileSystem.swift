#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Calls on paths rather than open files; each throws the failed call's `SystemError`.
public enum FileSystem {
    /// Creates one folder (`mkdir(2)`); its parent must exist. Throws with `Errno.fileExists`
    /// when something is already there.
    public static func makeDirectory(_ path: String, permissions: UInt32 = 0o755) throws(SystemError) {
        _ = try SystemCall.once("mkdir") { mkdir(path, mode_t(permissions)) }
    }

    /// Checks that this process may write to `path` (`access(2)` with W_OK).
    public static func checkWritable(_ path: String) throws(SystemError) {
        _ = try SystemCall.once("access") { access(path, W_OK) }
    }

    /// The first `maxBytes` bytes of a small file (all of it when shorter), read from the start:
    /// for settings under /proc/sys, say.
    public static func contents(of path: String, maxBytes: Int) throws(SystemError) -> [UInt8] {
        let descriptor = try FileDescriptor.open(path, .readOnly)
        defer { try? descriptor.close() }
        var bytes = [UInt8](repeating: 0, count: maxBytes)
        var count = 0
        while count < maxBytes {
            let read = try bytes.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in
                    try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[count...]))
                }
            }.get()
            if read == 0 { break }
            count += read
        }
        bytes.removeSubrange(count...)
        return bytes
    }
}
