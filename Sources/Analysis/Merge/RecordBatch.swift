import EventLog

/// A batch of merged log records on its way from the reading thread to the analysis: storage
/// of its own that records are moved into and out of, so that passing a record from one thread
/// to the other copies none of its fields (no reference counting on the way).
///
/// One thread owns a batch at a time: the reader fills it (`append`), hands it over, and the
/// analysis empties it (`forEach`), which also frees it. A batch must be emptied exactly once.
struct RecordBatch: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<LogRecord>
    private(set) var count = 0

    init(capacity: Int) {
        storage = .allocate(capacity: max(1, capacity))
    }

    var isFull: Bool { count == storage.count }

    /// Moves `record` in at the end; the batch must not be full.
    mutating func append(_ record: consuming LogRecord) {
        precondition(count < storage.count, "RecordBatch.append on a full batch")
        (storage.baseAddress! + count).initialize(to: record)
        count += 1
    }

    /// Passes each record, in order, to `body` and destroys it; then frees the storage. If `body`
    /// throws, that record and the ones after it are destroyed and the error is rethrown.
    consuming func forEach(_ body: (LogRecord) throws(LogParseError) -> Void) throws(LogParseError) {
        let base = storage.baseAddress!
        var index = 0
        defer {
            if index < count { (base + index).deinitialize(count: count - index) }
            storage.deallocate()
        }
        while index < count {
            // Lent to `body` where it lies, then destroyed there: never copied.
            try body(base[index])
            (base + index).deinitialize(count: 1)
            index += 1
        }
    }

    /// Frees the batch without looking at its records.
    consuming func discard() {
        storage.baseAddress!.deinitialize(count: count)
        storage.deallocate()
    }
}
