import EventLog
import Foundation

/// Hands batches of merged log records from one producer thread (reading and merging the logs) to
/// one consumer thread (the analysis), in order, holding at most `capacity` batches at a time so
/// memory stays bounded however far the producer runs ahead. The consumer can cancel the producer.
final class RecordBatchChannel: @unchecked Sendable {
    // Every stored property below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var batches: [RecordBatch] = []
    private var end: Result<[(offset: Int, length: Int)?], LogParseError>?
    private var cancelled = false
    private var producerExited = false
    private let capacity: Int

    /// What `receive` hands out: the next batch, or the producer's result once all batches are taken.
    enum Item {
        case batch(RecordBatch)
        case end(Result<[(offset: Int, length: Int)?], LogParseError>)
    }

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Producer: queues `batch`, waiting while the channel is full; false once the consumer cancelled.
    func send(_ batch: RecordBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else {
            batch.discard()
            return false
        }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// Producer: the walk ended with `result` (after its last `send`).
    func close(_ result: Result<[(offset: Int, length: Int)?], LogParseError>) {
        condition.lock()
        end = result
        condition.broadcast()
        condition.unlock()
    }

    /// Producer: the thread is about to exit (it holds no file open any more).
    func producerDidExit() {
        condition.lock()
        producerExited = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next batch in the order sent, or the end; waits while there is neither.
    func receive() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && end == nil { condition.wait() }
        if batches.isEmpty { return .end(end!) }
        condition.broadcast()
        return .batch(batches.removeFirst())
    }

    /// Consumer: stops the producer at its next `send` and waits until its thread has exited.
    func cancelAndWaitForProducer() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerExited { condition.wait() }
        for batch in batches { batch.discard() }
        batches = []
        condition.unlock()
    }
}
