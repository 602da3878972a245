import SystemCalls

/// Reads an event log line by line in fixed-size chunks, so memory stays flat however long the log.
public final class LogFileReader {
    public let path: String
    private let descriptor: FileDescriptor
    /// The bytes read and not yet returned are `buffer[start..<end]` (memory of its own, freed in
    /// `deinit`: the analysis reads every line through here, so no array bookkeeping per line).
    private var buffer: UnsafeMutableRawBufferPointer
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
        buffer = .allocate(byteCount: max(chunkSize, 16), alignment: 8)
    }

    deinit {
        try? descriptor.close()
        buffer.deallocate()
    }

    /// The next record, or nil at the end of the file. Blank lines are skipped; a line that does
    /// not parse throws an error naming the file and line. Bytes after the last newline are no
    /// line: they end the file and are reported in `cutShortLine`.
    public func next() throws(LogParseError) -> LogRecord? {
        while true {
            guard let range = nextLine() else { return nil }
            lineNumber += 1
            if range.isEmpty { continue }
            do {
                // Returned straight from the parser: the record is not copied on the way.
                return try parser.parse(UnsafeRawBufferPointer(rebasing: buffer[range]))
            } catch {
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
            let line = UnsafeRawBufferPointer(rebasing: buffer[range])
            if let kind = LogLineScanner.kind(in: line), kind.isTickEvent,
                let clock = LogLineScanner.int(.clock, in: line)
            {
                return clock
            }
        }
        return nil
    }

    /// The byte range of the next line in `buffer` (without its newline), refilling as needed.
    private func nextLine() -> Range<Int>? {
        while true {
            let lineStart = start
            let newline = Self.firstNewline(in: UnsafeRawBufferPointer(buffer), from: lineStart, to: end)
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

    /// The index of the first `\n` in `bytes[from..<to]`, or nil: eight bytes at a time (a word
    /// holds a newline when one of its bytes XOR `\n` is zero), then byte by byte for the rest.
    @inline(__always)
    static func firstNewline(in bytes: UnsafeRawBufferPointer, from: Int, to end: Int) -> Int? {
        let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
        let lows: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = from
        while index + 8 <= end {
            // Byte `index` in the lowest bits, whatever the machine's byte order.
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) ^ newlines
            let zeroBytes = (word &- lows) & ~word & highs
            if zeroBytes != 0 {
                // The lowest flagged byte is the first zero byte, exactly (a borrow can only flag
                // bytes above a zero one).
                return index + (zeroBytes.trailingZeroBitCount >> 3)
            }
            index += 8
        }
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") { return index }
            index += 1
        }
        return nil
    }

    private func refill() {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 {
                // copyMemory is memmove: the ranges may overlap.
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: remaining)
            }
            bufferOffset += start
            start = 0
            end = remaining
        }
        if end == buffer.count {
            // A single line longer than the buffer: grow it.
            let wider = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * buffer.count, alignment: 8)
            wider.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = wider
        }
        // A read error ends the file as the end of the file does.
        let count = (try? descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))) ?? -1
        if count <= 0 {
            atEOF = true
        } else {
            end += count
        }
    }
}
