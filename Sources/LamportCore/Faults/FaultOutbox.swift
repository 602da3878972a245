import HeapModule

/// A copy the outbox still holds: delayed until `due`, or held by a partition (`due` nil).
public struct PendingCopy: Sendable, Equatable {
    public var copy: OutgoingCopy
    /// When it is due; nil while a partition holds it.
    public var due: Int64?

    public init(copy: OutgoingCopy, due: Int64?) {
        self.copy = copy
        self.due = due
    }
}

/// The copies the faults hold back: delayed ones by due time, partitioned ones in send order.
///
/// Every copy put in comes out exactly once: from `due(at:)` or from `drain()`. Copies due at the
/// same time come out in the order they were put in; a partition's copies, once released, keep
/// the order they were sent in.
public struct FaultOutbox: Sendable {
    private struct Delayed: Comparable, Sendable {
        var due: Int64
        /// Send order: ties in `due` come out in the order the copies were put in.
        var order: Int
        var copy: OutgoingCopy

        static func < (lhs: Delayed, rhs: Delayed) -> Bool { (lhs.due, lhs.order) < (rhs.due, rhs.order) }
        static func == (lhs: Delayed, rhs: Delayed) -> Bool { (lhs.due, lhs.order) == (rhs.due, rhs.order) }
    }

    private var delayed = Heap<Delayed>()
    /// In send order (ascending `order`).
    private var held: [(order: Int, copy: OutgoingCopy)] = []
    private var putIn = 0

    public init() {}

    public var isEmpty: Bool { delayed.isEmpty && held.isEmpty }
    /// Copies delayed, not yet due.
    public var delayedCount: Int { delayed.count }
    /// Copies a partition holds.
    public var heldCount: Int { held.count }
    /// When the earliest delayed copy is due; nil when none is delayed.
    public var nextDue: Int64? { delayed.min?.due }

    /// Keeps `copy` until `due`.
    public mutating func delay(_ copy: OutgoingCopy, until due: Int64) {
        putIn += 1
        delayed.insert(Delayed(due: due, order: putIn, copy: copy))
    }

    /// Keeps `copy` until `release(at:where:)` lets its recipient through.
    public mutating func hold(_ copy: OutgoingCopy) {
        putIn += 1
        held.append((putIn, copy))
    }

    /// Makes the held copies to recipients `isOpen` accepts due at `now`, in the order they were
    /// sent (ahead of copies delayed to `now` after them).
    public mutating func release(at now: Int64, where isOpen: (Int) -> Bool) {
        var kept: [(order: Int, copy: OutgoingCopy)] = []
        for entry in held {
            if isOpen(entry.copy.recipient) {
                delayed.insert(Delayed(due: now, order: entry.order, copy: entry.copy))
            } else {
                kept.append(entry)
            }
        }
        held = kept
    }

    /// Takes out the copies due at or before `now`, by due time, ties in send order.
    public mutating func due(at now: Int64) -> [OutgoingCopy] {
        var ready: [OutgoingCopy] = []
        while let first = delayed.min, first.due <= now {
            ready.append(delayed.removeMin().copy)
        }
        return ready
    }

    /// Takes out every copy to `recipient`: the delayed ones by due time, then the held ones in
    /// send order (for a peer that is leaving: what is still held for it goes to it at once).
    public mutating func drain(to recipient: Int) -> [PendingCopy] {
        var kept = Heap<Delayed>()
        var taken: [PendingCopy] = []
        while let next = delayed.popMin() {
            if next.copy.recipient == recipient {
                taken.append(PendingCopy(copy: next.copy, due: next.due))
            } else {
                kept.insert(next)
            }
        }
        delayed = kept
        taken += held.filter { $0.copy.recipient == recipient }.map { PendingCopy(copy: $0.copy, due: nil) }
        held.removeAll { $0.copy.recipient == recipient }
        return taken
    }

    /// Takes out everything: the delayed copies by due time, then the held ones in send order.
    public mutating func drain() -> [PendingCopy] {
        var all: [PendingCopy] = []
        while let next = delayed.popMin() {
            all.append(PendingCopy(copy: next.copy, due: next.due))
        }
        all += held.map { PendingCopy(copy: $0.copy, due: nil) }
        held = []
        return all
    }
}
