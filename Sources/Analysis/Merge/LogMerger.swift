import EventLog
import Foundation

/// Walks several VMs' logs as one stream in time order (ties keep file order), except that a
/// message is never taken in before its send: a `receive` or `unprocessed` line waits until the
/// line of its send has gone by, whatever the time stamps say (a `clock_skew` fault, or hosts whose
/// clocks disagree, can stamp a receive earlier than its send).
///
/// The reading, parsing and merging run on a thread of their own, ahead of the caller, handing
/// over the merged records in batches (`RecordBatchChannel`): the caller sees exactly the records,
/// in exactly the order, that a walk on one thread gives (`walk`), while the two threads share the work.
public enum LogMerger {
    /// Records per batch handed from the reading thread to the caller's (a batch of about 100 KB,
    /// below the size from which the C allocator maps fresh pages for every allocation).
    static let batchSize = 512
    /// Batches the reading thread may be ahead.
    static let batchesAhead = 32

    /// Calls `body` with every line of every file, in time order but each receive after its send;
    /// returns, per file, the line a crash cut short at its end (not passed to `body`), if any. In a
    /// file named `vm<ID>.jsonl`, a line whose `vm` is not ID is an error (a log mixed with another
    /// VM's lines cannot be checked). `body` runs on the calling thread; the files are read on
    /// another, which has stopped and closed them when this returns or throws.
    @discardableResult
    public static func forEachRecord(
        inFiles paths: [String], _ body: (LogRecord) throws(LogParseError) -> Void
    ) throws(LogParseError) -> [(offset: Int, length: Int)?] {
        let channel = RecordBatchChannel(capacity: batchesAhead)
        let reader = Thread {
            var batch = RecordBatch(capacity: batchSize)
            let result = Result { () throws(LogParseError) in
                try walk(inFiles: paths) { record in
                    batch.append(record)
                    guard batch.isFull else { return true }
                    defer { batch = RecordBatch(capacity: batchSize) }
                    return channel.send(batch)
                }
            }
            // The lines before an error are passed on, as a walk on one thread would.
            if batch.count == 0 {
                batch.discard()
                channel.close(result.map { $0 ?? [] })
            } else if channel.send(batch) {
                channel.close(result.map { $0 ?? [] })
            }
            channel.producerDidExit()
        }
        reader.start()
        defer { channel.cancelAndWaitForProducer() }
        while true {
            switch channel.receive() {
            case .batch(let records):
                try records.forEach(body)
            case .end(let result):
                return try result.get()
            }
        }
    }

    /// The merge on the calling thread: passes every record, in the order `forEachRecord` gives,
    /// to `emit` until it returns false; returns what `forEachRecord` does, or nil when `emit`
    /// stopped the walk.
    static func walk(
        inFiles paths: [String], _ emit: (__owned LogRecord) -> Bool
    ) throws(LogParseError) -> [(offset: Int, length: Int)?]? {
        try OpenLogFilesLimit.ensureRoom(forLogs: paths.count)
        let chunkSize = OpenLogFilesLimit.chunkSize(forLogs: paths.count)
        let readers = try paths.map { path throws(LogParseError) in
            try LogFileReader(path: path, chunkSize: chunkSize)
        }
        let ids = paths.map(LogFileName.vmID(ofPath:))
        var heads: [LogRecord?] = []
        for reader in readers { heads.append(try reader.next()) }
        var order = CausalOrder(heads: heads)
        while let index = order.next() {
            guard let record = heads[index].take() else { continue }
            if let id = ids[index], record.vm != id {
                throw LogParseError(
                    message:
                        "\(paths[index]):\(readers[index].lineNumber): a line of VM \(record.vm) in the log of VM \(id)"
                )
            }
            let seq = record.seq
            guard emit(record) else { return nil }
            let next = try readers[index].next()
            order.taken(seq: seq, from: index, next: next)
            heads[index] = next
        }
        return readers.map(\.cutShortLine)
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
