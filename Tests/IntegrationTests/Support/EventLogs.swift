import Foundation

@testable import EventLog

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads VM event logs while their VMs may still be writing them.
enum EventLogs {
    /// The records of the complete lines written so far (a line still being written is left out).
    static func records(_ path: String) -> [LogRecord] {
        guard let data = FileManager.default.contents(atPath: path),
            let lastNewline = data.lastIndex(of: UInt8(ascii: "\n"))
        else { return [] }
        let parser = LogLineParser()
        return data[data.startIndex..<lastNewline].split(separator: UInt8(ascii: "\n")).compactMap { line in
            try? parser.parse(String(decoding: line, as: UTF8.self))
        }
    }

    static func hasStarted(_ path: String) -> Bool {
        records(path).contains { $0.kind == .start }
    }

    /// The number of complete lines, counting no further than `limit` (cheap on large logs).
    static func lineCount(_ path: String, upTo limit: Int) -> Int {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var count = 0
        while count < limit {
            let got = buffer.withUnsafeMutableBytes { raw in read(descriptor, raw.baseAddress, raw.count) }
            guard got > 0 else { break }
            count += buffer[0..<got].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        }
        return count
    }

    /// The last record of a finished log, read as a stream.
    static func lastRecord(_ path: String) throws -> LogRecord? {
        let reader = try LogFileReader(path: path)
        var last: LogRecord?
        while let record = try reader.next() { last = record }
        return last
    }
}
