import EventLog
import Foundation

/// Writes a run's tick events in the log format ShiViz (the DistributedClocks log visualiser)
/// reads as is: the parser regex on the first line, the run delimiter (empty) on the second, then
/// per event a description line and a `host {vector clock}` line.
///
/// Hosts are `vm1`, `vm2`, ...; each vector lists the hosts with a non-zero entry, and a host's
/// own entry starts at 1 and rises by 1 per event it logs.
public final class ShiVizWriter {
    /// The parser regex: an event's description, a newline, the host, a space, its clock. The
    /// braces are escaped, which JavaScript (ShiViz) and ICU read alike.
    public static let parserRegex = #"(?<event>.*)\n(?<host>\S*) (?<clock>\{.*\})"#

    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []

    /// Creates (or replaces) the file at `path` and writes the two header lines.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw LogParseError(message: "cannot write \(path)") }
        self.handle = handle
        self.path = path
        buffer.append(contentsOf: (Self.parserRegex + "\n\n").utf8)
    }

    /// Adds one tick event with its vector clock (entry j is VM j + 1).
    public func add(_ record: LogRecord, vector: [Int]) {
        buffer.append(contentsOf: "vm\(record.vm) \(describe(record))\nvm\(record.vm) {".utf8)
        var first = true
        for (index, value) in vector.enumerated() where value > 0 {
            if !first { buffer.append(UInt8(ascii: ",")) }
            first = false
            buffer.append(contentsOf: "\"vm\(index + 1)\":\(value)".utf8)
        }
        buffer.append(contentsOf: "}\n".utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes what is buffered and closes the file.
    public func close() {
        flush()
        try? handle.close()
    }

    /// Closes the file and removes it (an export that was refused).
    public func discard() {
        buffer.removeAll()
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    private func describe(_ record: LogRecord) -> String {
        switch record.kind {
        case .send:
            return
                "send seq \(record.seq) clock \(record.clock) to \(record.to.map { "vm\($0)" }.joined(separator: ","))"
        case .receive:
            let from = record.from.map { "vm\($0)" } ?? "?"
            return "receive seq \(record.seq) clock \(record.clock) from \(from) send_seq \(record.sendSeq ?? 0)"
        default:
            return "internal seq \(record.seq) clock \(record.clock)"
        }
    }
}
