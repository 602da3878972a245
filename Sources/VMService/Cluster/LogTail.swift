#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The last line of a growing event log, read cheaply from the file's end.
enum LogTail {
    /// The last complete line of the file at `path`, parsed; nil if there is none yet.
    static func lastRecord(path: String) -> LogRecord? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return nil }
        let length = Int(min(size, 4096))
        var bytes = [UInt8](repeating: 0, count: length)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, length, size - off_t(length)) }
        guard count > 0 else { return nil }
        var lines = bytes.prefix(count).split(separator: UInt8(ascii: "\n"))
        if bytes[count - 1] != UInt8(ascii: "\n") { _ = lines.popLast() }
        guard let last = lines.last else { return nil }
        return Array(last).withUnsafeBytes { try? LogLineParser().parse($0) }
    }
}
