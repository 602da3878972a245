import SystemCalls

/// Reads an event log line by line in fixed-size chunks, so memory stays flat however long the log.
public final class LogFileReader {
    public let path: String
    private let descriptor: FileDescriptor
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEOF = false
    private let parser = LogLineParser()
    /// 1-based number of the last line returned.
    public private(set) var lineNumber = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset = 0
    /// The bytes after the file's last newline, once the end is reached: a line cut short (a VM
    /// killed in the middle of writing it, or a full disk). They are not returned as a line.
    public private(set) var cutShortLine: (offset: Int, length: Int)?

    public init(path: String, chunkSize: Int = 1 << 20) throws(LogParseError) {
        self.path = path
        do {
            descriptor = try FileDescriptor.open(path, .readOnly)
        } catch {
            throw LogParseError(message: "cannot read \(path): \(error.reason)")
        }
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit {
        try? descriptor.close()
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped; a line that does
    /// not parse throws an error naming the file and line. Bytes after the last newline are no
    /// line: they end the file and are reported in `cutShortLine`.
    public func next() throws(LogParseError) -> LogRecord? {
        while true {
            guard let range = nextLine() else { return nil }
            lineNumber += 1
            if range.isEmpty { continue }
            let result = buffer.withUnsafeBytes { raw in
                Result { () throws(LogParseError) in try parser.parse(UnsafeRawBufferPointer(rebasing: raw[range])) }
            }
            switch result {
            case .success(let record): return record
            case .failure(let error):
                throw LogParseError(message: "\(path):\(lineNumber): \(error.message)")
            }
        }
    }

    /// The clock of the next tick event (`internal`, `send`, `receive`) line, read with a byte scan
    /// of each line instead of a full parse; nil at the end of the file. For passes that need
    /// only the clocks, such as counting equal clocks across logs.
    public func nextTickClock() -> Int? {
        while let range = nextLine() {
            lineNumber += 1
            if range.isEmpty { continue }
            let clock = buffer.withUnsafeBytes { raw -> Int? in
                let line = UnsafeRawBufferPointer(rebasing: raw[range])
                guard let kind = LogLineScanner.kind(in: line), kind.isTickEvent else { return nil }
                return LogLineScanner.int(.clock, in: line)
            }
            if let clock { return clock }
        }
        return nil
    }

    /// The byte range of the next line in `buffer` (without its newline), refilling as needed.
    private func nextLine() -> Range<Int>? {
        while true {
            let lineStart = start
            let newline = buffer.withUnsafeBufferPointer { bytes -> Int? in
                var index = lineStart
                while index < end {
                    if bytes[index] == UInt8(ascii: "\n") { return index }
                    index += 1
                }
                return nil
            }
            if let newline {
                start = newline + 1
                return lineStart..<newline
            }
            if atEOF {
                // Bytes without a newline at the end: never a complete line (docs/log-format.md).
                if start < end { cutShortLine = (bufferOffset + start, end - start) }
                start = end
                return nil
            }
            refill()
        }
    }

    private func refill() {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    // copyMemory is memmove: the ranges may overlap.
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: remaining)
                }
            }
            bufferOffset += start
            start = 0
            end = remaining
        }
        if end == buffer.count {
            // A single line longer than the buffer: grow it.
            buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
        }
        // A read error ends the file as the end of the file does.
        let count = buffer.withUnsafeMutableBytes { raw in
            (try? descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[end...]))) ?? -1
        }
        if count <= 0 {
            atEOF = true
        } else {
            end += count
        }
    }
}
