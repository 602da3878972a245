import Foundation

/// Walks several VMs' logs as one stream in time order (ties keep file order).
public enum LogMerger {
    /// Calls `body` with every line of every file, in time order; returns, per file, the line a crash
    /// cut short at its end (not passed to `body`), if any.
    @discardableResult
    public static func forEachRecord(
        inFiles paths: [String], _ body: (LogRecord) throws(LogParseError) -> Void
    ) throws(LogParseError) -> [(offset: Int, length: Int)?] {
        let readers = try paths.map { path throws(LogParseError) in try LogFileReader(path: path) }
        var heads: [LogRecord?] = []
        for reader in readers { heads.append(try reader.next()) }
        while true {
            var best: Int?
            for index in heads.indices {
                guard let head = heads[index] else { continue }
                if let current = best, let bestHead = heads[current], bestHead.time <= head.time { continue }
                best = index
            }
            guard let index = best, let record = heads[index] else { return readers.map(\.cutShortLine) }
            try body(record)
            heads[index] = try readers[index].next()
        }
    }

    /// The event logs in a folder: `vm<ID>.jsonl`, ordered by id.
    public static func logFiles(inDirectory directory: String) throws(LogParseError) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LogParseError(message: "cannot read the folder \(directory)")
        }
        let ids = entries.compactMap { name -> Int? in
            guard name.hasPrefix("vm"), name.hasSuffix(".jsonl") else { return nil }
            return Int(name.dropFirst(2).dropLast(6))
        }
        return ids.sorted().map { "\(directory)/vm\($0).jsonl" }
    }
}
