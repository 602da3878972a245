#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileDescriptor {
    /// Writes from `bytes` (`write(2)`): the number of bytes written, which may be fewer than
    /// `bytes.count`. For a caller that keeps track of how far it got when a write fails.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        try SystemCall.retryingInterrupts("write") { systemWrite(rawValue, bytes.baseAddress, bytes.count) }
    }

    /// Writes all of `bytes`, calling `write(2)` as often as needed. A call that writes nothing
    /// (which `write(2)` does not do for a file, a pipe or a terminal) throws EIO rather than
    /// returning with the rest unwritten.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let count = try write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            // A write that moves nothing would repeat forever; it counts as a failed write.
            if count == 0 { throw SystemError(call: "write", errno: .inputOutput) }
            offset += count
        }
    }

    /// Forces the file's data and metadata to disk (`fsync(2)`).
    public func sync() throws(SystemError) {
        _ = try SystemCall.retryingInterrupts("fsync") { fsync(rawValue) }
    }

    /// Cuts the file to `size` bytes (`ftruncate(2)`).
    public func truncate(to size: Int) throws(SystemError) {
        _ = try SystemCall.retryingInterrupts("ftruncate") { ftruncate(rawValue, off_t(size)) }
    }
}
