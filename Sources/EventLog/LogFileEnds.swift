import SystemCalls

/// The time stamps at the two ends of a log, read without scanning it: the first line, the first
/// `start` line (if near the beginning), and the last complete line; also the seq of the last
/// complete line (the number of lines, in a log without gaps).
public enum LogFileEnds {
    /// Nil for a log without a complete line (empty, or only a line cut short).
    public static func read(
        path: String
    ) throws(LogParseError) -> (first: Int64, last: Int64, firstStart: Int64?, lastSeq: Int)? {
        let reader = try LogFileReader(path: path, chunkSize: 64 << 10)
        guard let first = try reader.next() else { return nil }
        var firstStart: Int64? = first.kind == .start ? first.time : nil
        var scanned = 0
        while firstStart == nil, scanned < 1000, let record = try reader.next() {
            scanned += 1
            if record.kind == .start { firstStart = record.time }
        }
        let last = try lastRecord(path: path) ?? first
        return (first.time, last.time, firstStart, last.seq)
    }

    private static func lastRecord(path: String) throws(LogParseError) -> LogRecord? {
        guard let descriptor = try? FileDescriptor.open(path, .readOnly) else { return nil }
        defer { try? descriptor.close() }
        guard let tail = EventLogFile.readTail(descriptor) else { return nil }
        var lines = tail.split(separator: UInt8(ascii: "\n"))
        if tail.last != UInt8(ascii: "\n") { _ = lines.popLast() }
        guard let last = lines.last else { return nil }
        let parsed = Array(last).withUnsafeBytes { raw in
            Result { () throws(LogParseError) in try LogLineParser().parse(raw) }
        }
        return try parsed.get()
    }
}
