#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileDescriptor {
    /// Reads into `buffer` from the file position (`read(2)`): the number of bytes read, at most
    /// `buffer.count`, 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try SystemCall.retryingInterrupts("read") { systemRead(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads into `buffer` from byte `offset` of the file (`pread(2)`), leaving the file position
    /// alone: the number of bytes read, 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SystemError) -> Int {
        try SystemCall.retryingInterrupts("pread") {
            systemPread(rawValue, buffer.baseAddress, buffer.count, off_t(offset))
        }
    }
}
