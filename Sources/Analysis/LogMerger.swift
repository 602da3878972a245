import EventLog
import Foundation

/// Walks several VMs' logs as one stream in time order (ties keep file order), except that a
/// message is never taken in before its send: a `receive` or `unprocessed` line waits until the
/// line of its send has gone by, whatever the time stamps say (a `clock_skew` fault, or hosts whose
/// clocks disagree, can stamp a receive earlier than its send).
public enum LogMerger {
    /// Calls `body` with every line of every file, in time order but each receive after its send;
    /// returns, per file, the line a crash cut short at its end (not passed to `body`), if any. In a
    /// file named `vm<ID>.jsonl`, a line whose `vm` is not ID is an error (a log mixed with another
    /// VM's lines cannot be checked).
    @discardableResult
    public static func forEachRecord(
        inFiles paths: [String], _ body: (LogRecord) throws(LogParseError) -> Void
    ) throws(LogParseError) -> [(offset: Int, length: Int)?] {
        try OpenLogFilesLimit.ensureRoom(forLogs: paths.count)
        let chunkSize = OpenLogFilesLimit.chunkSize(forLogs: paths.count)
        let readers = try paths.map { path throws(LogParseError) in
            try LogFileReader(path: path, chunkSize: chunkSize)
        }
        let ids = paths.map(LogFileName.vmID(ofPath:))
        var heads: [LogRecord?] = []
        for reader in readers { heads.append(try reader.next()) }
        var order = CausalOrder(heads: heads)
        while true {
            guard let index = order.next(among: heads), let record = heads[index] else {
                return readers.map(\.cutShortLine)
            }
            if let id = ids[index], record.vm != id {
                throw LogParseError(
                    message:
                        "\(paths[index]):\(readers[index].lineNumber): a line of VM \(record.vm) in the log of VM \(id)"
                )
            }
            try body(record)
            heads[index] = try readers[index].next()
            order.taken(record, from: index, heads: heads)
        }
    }

    /// The event logs in a folder: `vm<ID>.jsonl`, ordered by id.
    public static func logFiles(inDirectory directory: String) throws(LogParseError) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LogParseError(message: "cannot read the folder \(directory)")
        }
        let ids = entries.compactMap(LogFileName.vmID(ofPath:))
        return ids.sorted().map { LogFileName.path(vmID: $0, in: directory) }
    }
}
