/// The faults of one VM and the copies they hold back: the one fault model both drivers run.
///
/// The real-time VM and `vmserver simulate` call it the same way, passing time in microseconds
/// (wall clock or virtual); it reads no clock and does no IO:
///
/// - with no fault on messages set and nothing held, `isIdle` is true and the driver writes every
///   copy as before, calling nothing else (the cost with no faults is that one check);
/// - otherwise each copy of a send goes through `route(_:to:at:)`, which decides its `SendFate`;
///   copies it holds come back from `due(at:)` at or after `nextWakeup`;
/// - `add`, `remove`, `removeAll` change the faults at once ("from the next message"); a fault
///   with a duration ends when the driver calls `expire(at:)` (due at `nextWakeup`), so a fault
///   acts exactly until its `heal` line is written;
/// - after anything ends a partition, `due(at:)` hands back what it held, in send order;
/// - at a clean stop, `drain()` returns every copy still held, to deliver or to log.
///
/// Faults stack, in this order for each copy: a `partition` covering the recipient holds it (and
/// nothing else is decided); otherwise each `loss` rolls in id order and the first that fires
/// destroys it; a survivor is copied once more by each `duplicate` that fires; every copy then
/// waits the sum of one draw of each `delay`. Copies released by a heal go out as they are, with
/// no new draws. Copies already delayed when a fault starts or ends keep their due time.
/// Random draws are taken only for faults that apply to the recipient, from the fault stream
/// (`FaultRandom`), never from the VM's own.
public struct FaultSet: Sendable {
    /// The VM whose outgoing messages these faults act on.
    public let vmID: Int
    /// Its peers; a fault can name only these.
    public let peers: [Int]
    /// The active faults, in id order.
    public private(set) var faults: [Fault] = []
    /// The sum of the active `clock_skew` faults, in microseconds: add it to the wall-clock time
    /// stamps of the log lines (not to anything the clocks or the messages carry).
    public private(set) var clockSkewMicroseconds: Int64 = 0
    private var outbox = FaultOutbox()
    private var random: FaultRandom
    private var nextID = 1
    /// Active faults other than `clock_skew` (the ones `route` looks at).
    private var messageFaults = 0

    public init(vmID: Int, peers: [Int], random: FaultRandom) {
        self.vmID = vmID
        self.peers = peers
        self.random = random
    }

    /// True when no fault acts on messages (`clock_skew` does not) and nothing is held: copies go
    /// straight to the wire, without `route`.
    public var isIdle: Bool { messageFaults == 0 && outbox.isEmpty }
    /// Copies delayed and not yet due.
    public var delayedCount: Int { outbox.delayedCount }
    /// Copies a partition holds.
    public var heldCount: Int { outbox.heldCount }

    /// The earliest time the driver must call back: the next delayed copy's due time
    /// (`due(at:)`) or the next fault's end (`expire(at:)`); nil when neither is pending.
    public var nextWakeup: Int64? {
        let nextEnd = faults.lazy.compactMap(\.ends).min()
        switch (outbox.nextDue, nextEnd) {
        case (let due?, let end?): return min(due, end)
        case (let due?, nil): return due
        case (nil, let end?): return end
        case (nil, nil): return nil
        }
    }

    // MARK: Changing the faults

    /// Starts a fault at `now`; it acts from the next `route` on.
    ///
    /// - Throws: `peers` when the request names an id that is not one of this VM's peers.
    public mutating func add(_ request: FaultRequest, at now: Int64) throws(FaultParameterError) -> Fault {
        if let named = request.peers, let stranger = named.first(where: { !peers.contains($0) }) {
            throw FaultParameterError(field: "peers", problem: "names \(stranger), not a peer of VM \(vmID)")
        }
        let fault = Fault(
            id: nextID, kind: request.kind, peers: request.peers, started: now,
            ends: request.durationMicroseconds.map { now + $0 })
        nextID += 1
        faults.append(fault)
        if case .clockSkew(let milliseconds) = fault.kind {
            clockSkewMicroseconds += Int64(milliseconds) * 1000
        } else {
            messageFaults += 1
        }
        return fault
    }

    /// Ends fault `id` at `now`; nil when no active fault has that id. Ending a partition makes
    /// what it held due at `now`.
    public mutating func remove(id: Int, at now: Int64) -> Fault? {
        guard let index = faults.firstIndex(where: { $0.id == id }) else { return nil }
        return end([faults[index]], at: now).first
    }

    /// Ends every fault at `now`, in id order.
    public mutating func removeAll(at now: Int64) -> [Fault] {
        end(faults, at: now)
    }

    /// Ends the faults whose end time is at or before `now`, by end time (ties by id).
    public mutating func expire(at now: Int64) -> [Fault] {
        let ended = faults.filter { ($0.ends ?? .max) <= now }.sorted {
            ($0.ends ?? .max, $0.id) < ($1.ends ?? .max, $1.id)
        }
        return ended.isEmpty ? [] : end(ended, at: now)
    }

    private mutating func end(_ ending: [Fault], at now: Int64) -> [Fault] {
        let ids = Set(ending.map(\.id))
        faults.removeAll { ids.contains($0.id) }
        for fault in ending {
            if case .clockSkew(let milliseconds) = fault.kind {
                clockSkewMicroseconds -= Int64(milliseconds) * 1000
            } else {
                messageFaults -= 1
            }
        }
        if ending.contains(where: { $0.kind == .partition }) {
            let open = faults.filter { $0.kind == .partition }
            outbox.release(at: now) { recipient in !open.contains { $0.applies(to: recipient) } }
        }
        return ending
    }

    // MARK: Messages

    /// Decides what happens to the copy of `message` for `recipient`, sent at `now`, and keeps
    /// the copies it holds back (see the type's stacking order).
    public mutating func route(_ message: PeerMessage, to recipient: Int, at now: Int64) -> SendFate {
        let original = OutgoingCopy(message: message, recipient: recipient)
        let applying = faults.filter { $0.applies(to: recipient) }
        if let partition = applying.first(where: { $0.kind == .partition }) {
            outbox.hold(original)
            return SendFate(copies: [.held(original, partition: partition.id)])
        }
        for fault in applying {
            if case .loss(let probability) = fault.kind, random.fires(probability: probability) {
                return SendFate(copies: [.lost(recipient: recipient, fault: fault.id)])
            }
        }
        var copies = [original]
        for fault in applying {
            if case .duplicate(let probability) = fault.kind, random.fires(probability: probability) {
                copies.append(OutgoingCopy(message: message, recipient: recipient, duplicatedBy: fault.id))
            }
        }
        // A duplicate never overtakes its original (the receiver tells them apart by the frame):
        // each copy waits at least as long as the one before it.
        var earliest: Int64 = 0
        return SendFate(
            copies: copies.map { copy in
                var wait: Int64 = 0
                var delayed = false
                for fault in applying {
                    if case .delay(let milliseconds, let jitter, let distribution) = fault.kind {
                        delayed = true
                        wait += delaySample(milliseconds: milliseconds, jitter: jitter, distribution: distribution)
                    }
                }
                wait = max(wait, earliest)
                earliest = wait
                guard delayed && wait > 0 else { return .now(copy) }
                outbox.delay(copy, until: now + wait)
                return .delayed(copy, until: now + wait)
            })
    }

    /// One draw of a delay, in microseconds (never below 0).
    private mutating func delaySample(milliseconds: Int, jitter: Int, distribution: DelayDistribution) -> Int64 {
        let base = Int64(milliseconds) * 1000
        let spread = Int64(jitter) * 1000
        switch distribution {
        case .constant:
            return base
        case .uniform:
            return max(0, base + random.uniform(in: -spread...spread))
        case .exponential:
            let cap = Double(spread) * Double(FaultLimits.exponentialJitterCap)
            return base + Int64(min(random.exponential(mean: Double(spread)), cap).rounded())
        }
    }

    /// The held-back copies due at or before `now`, to write now: by due time, ties (and the
    /// copies a heal released) in send order.
    public mutating func due(at now: Int64) -> [OutgoingCopy] {
        outbox.due(at: now)
    }

    /// Everything still held back for `recipient` (a peer saying goodbye): delayed copies by due
    /// time, then the ones a partition holds, in send order. The faults stay as they are.
    public mutating func drain(to recipient: Int) -> [PendingCopy] {
        outbox.drain(to: recipient)
    }

    /// Everything still held back, for a clean stop: delayed copies by due time, then the ones a
    /// partition holds, in send order. The faults stay as they are.
    public mutating func drain() -> [PendingCopy] {
        outbox.drain()
    }
}
