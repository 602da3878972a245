import DequeModule

/// The behaviour of one VM as a value: Lamport clock, per-tick decision, message queue, counters.
///
/// The core does no IO. Drivers feed it inputs (a tick, an arriving message, a peer coming or
/// going, a config change) and it returns what happened: the log lines to write and the message
/// to put on the wire. It owns the log's `seq` numbering, so every line it returns is numbered
/// 1, 2, 3, ... without gaps. The real-time driver and the simulated driver run this same type.
public struct VMCore: Sendable {
    /// The result of one tick.
    public struct TickOutcome: Sendable, Equatable {
        /// The tick event (`internal`, `send` or `receive`).
        public var event: VMEvent
        /// For a send, the message and the recipients it must be written to (the connected ones).
        public var outgoing: (message: PeerMessage, recipients: [Int])?

        public static func == (lhs: TickOutcome, rhs: TickOutcome) -> Bool {
            lhs.event == rhs.event && lhs.outgoing?.message == rhs.outgoing?.message
                && lhs.outgoing?.recipients == rhs.outgoing?.recipients
        }
    }

    public let id: Int
    /// The action mapping over this VM's peers (all other VMs of the cluster, ascending).
    public let policy: ActionPolicy
    public private(set) var clock: LamportClock
    public private(set) var tuning: VMTuning
    public private(set) var counters = VMCounters()
    /// The `seq` the next log line will get.
    public private(set) var nextSeq: Int
    /// Peers whose connection is up; sends to others are logged as dropped.
    public private(set) var connectedPeers: Set<Int> = []
    private var queue = MessageQueue()
    private var random: SeededRandom

    /// - Parameters:
    ///   - resumingAfter: the last `seq` and clock of an earlier run of this VM whose log is being
    ///     continued; numbering and clock carry on from there.
    public init(
        id: Int, peers: [Int], tuning: VMTuning, random: SeededRandom,
        resumingAfter previous: (seq: Int, clock: Int)? = nil
    ) {
        self.id = id
        self.policy = ActionPolicy(peers: peers)
        self.tuning = tuning
        self.random = random
        self.nextSeq = (previous?.seq ?? 0) + 1
        self.clock = LamportClock(value: previous?.clock ?? 0)
    }

    public var peers: [Int] { policy.peers }
    public var queueLength: Int { queue.count }
    /// The queued messages, oldest first.
    public var queuedMessages: [PeerMessage] { queue.all }

    // MARK: Ticks

    /// Runs one tick: processes one queued message if there is one, otherwise rolls an idle action.
    public mutating func tick() -> TickOutcome {
        if let queued = queue.popFirst() {
            let message = queued.message
            clock.receive(stampedWith: message.clock)
            counters.receiveEvents += 1
            counters.receivedFrom[message.from, default: 0] += 1
            let extra = queued.duplicate ? [LogField(.duplicate, .bool(true))] : []
            return TickOutcome(event: makeEvent(.receive, message: message, extra: extra), outgoing: nil)
        }
        let roll = random.roll(in: 1...tuning.maxAction)
        switch policy.action(forRoll: roll) {
        case .internalEvent:
            clock.tick()
            counters.internalEvents += 1
            return TickOutcome(event: makeEvent(.internalEvent), outgoing: nil)
        case .send(let recipients):
            clock.tick()
            counters.sendEvents += 1
            var dropped: [Int] = []
            for peer in recipients {
                if connectedPeers.contains(peer) {
                    counters.sentTo[peer, default: 0] += 1
                } else {
                    dropped.append(peer)
                    counters.droppedTo[peer, default: 0] += 1
                }
            }
            // Usually every recipient is connected: the recipients' own array, not a copy.
            let reachable = dropped.isEmpty ? recipients : recipients.filter { !dropped.contains($0) }
            let event = makeEvent(.send, to: recipients, dropped: dropped.isEmpty ? nil : dropped)
            let message = PeerMessage(from: id, sendSeq: event.seq, clock: clock.value)
            return TickOutcome(event: event, outgoing: reachable.isEmpty ? nil : (message, reachable))
        }
    }

    /// Queues a message that arrived from the network; it is processed by a later tick. Returns
    /// false, and queues nothing, for a message whose clock or `send_seq` is outside
    /// 1...`LamportClock.maximumStamp` (its receive could overflow the clock).
    ///
    /// A `duplicate` copy (one a `duplicate` fault at the sender made; it never overtakes its
    /// original) is queued and received like any other (the clock rule applies); its `receive`
    /// line says `"duplicate": true`. The sender marks it, so the receiver keeps no record of
    /// what arrived.
    @discardableResult
    public mutating func deliver(_ message: PeerMessage, duplicate: Bool = false) -> Bool {
        guard LamportClock.acceptable.contains(message.clock), LamportClock.acceptable.contains(message.sendSeq) else {
            return false
        }
        queue.append(message, duplicate: duplicate)
        counters.arrivedFrom[message.from, default: 0] += 1
        if queue.count > counters.maxQueue { counters.maxQueue = queue.count }
        return true
    }

    // MARK: Lifecycle lines (they do not change the clock)

    /// The `start` line: ticking begins now. `extra` carries the settings worth recording.
    public mutating func start(extra: [LogField]) -> VMEvent {
        makeEvent(.start, extra: extra)
    }

    /// Marks a peer's connection as up and returns its `peer_up` line.
    public mutating func peerConnected(_ peer: Int, extra: [LogField] = []) -> VMEvent {
        connectedPeers.insert(peer)
        return makeEvent(.peerUp, extra: [LogField(.peer, .int(peer))] + extra)
    }

    /// Marks a peer's connection as down (sends to it are dropped from now on) and returns its
    /// `peer_down` line, or nil if it was not up.
    public mutating func peerDisconnected(_ peer: Int, reason: String) -> VMEvent? {
        guard connectedPeers.remove(peer) != nil else { return nil }
        return makeEvent(.peerDown, extra: [LogField(.peer, .int(peer)), LogField(.reason, .string(reason))])
    }

    /// Applies new tuning from the next tick on and returns the `config` line listing what changed.
    /// The caller has validated it (`maxAction >= policy.clusterSize`, a positive rate).
    public mutating func retune(_ newTuning: VMTuning) -> VMEvent {
        var changed: [LogField] = []
        if newTuning.tickRate != tuning.tickRate { changed.append(LogField(.tickRate, newTuning.tickRate.logValue)) }
        if newTuning.maxAction != tuning.maxAction { changed.append(LogField(.maxAction, .int(newTuning.maxAction))) }
        if newTuning.paused != tuning.paused { changed.append(LogField(.paused, .bool(newTuning.paused))) }
        tuning = newTuning
        return makeEvent(.config, extra: changed)
    }

    /// The `fault` line of a fault that starts now: its id, kind, peers (when it names some), its
    /// parameters and `duration_s` (when it has one). The clock does not change.
    public mutating func faultStarted(_ fault: Fault) -> VMEvent {
        var extra = [LogField(.id, .int(fault.id)), LogField(.kind, .string(fault.kind.name))]
        if let peers = fault.peers { extra.append(LogField(.peers, .ints(peers))) }
        extra += fault.kind.parameterFields
        if let ends = fault.ends {
            extra.append(LogField(.durationS, .double(Double(ends - fault.started) / 1_000_000)))
        }
        return makeEvent(.fault, extra: extra)
    }

    /// The `heal` line of a fault that ends now: its id, kind and why (`reason`: `removed` by
    /// `DELETE /faults/{id}`, `healed` by `DELETE /faults`, `expired` at the end of its duration).
    /// The clock does not change.
    public mutating func faultEnded(_ fault: Fault, reason: String) -> VMEvent {
        makeEvent(
            .heal,
            extra: [
                LogField(.id, .int(fault.id)), LogField(.kind, .string(fault.kind.name)),
                LogField(.reason, .string(reason)),
            ])
    }

    /// The `drop` line of a copy a fault held back whose recipient's link went down before it
    /// left: `to` is its recipient, `send_seq` its send, and `duplicate` marks a copy a `duplicate`
    /// fault made (the original was accounted for by itself). The clock does not change.
    public mutating func copyDropped(_ copy: OutgoingCopy) -> VMEvent {
        var extra = [LogField(.sendSeq, .int(copy.message.sendSeq))]
        if copy.duplicatedBy != nil {
            extra.append(LogField(.duplicate, .bool(true)))
        } else {
            counters.sentTo[copy.recipient, default: 0] -= 1
            counters.droppedTo[copy.recipient, default: 0] += 1
        }
        return makeEvent(.drop, to: [copy.recipient], extra: extra)
    }

    /// Ends the run: one `unprocessed` line per message still queued (oldest first), then the
    /// `stop` line, whose `reason` is `reason`'s raw value. The queue is empty afterwards.
    public mutating func stop(reason: StopReason, extra: [LogField] = []) -> [VMEvent] {
        var lines: [VMEvent] = []
        lines.reserveCapacity(queue.count + 1)
        while let queued = queue.popFirst() {
            let extra = queued.duplicate ? [LogField(.duplicate, .bool(true))] : []
            lines.append(makeEvent(.unprocessed, message: queued.message, extra: extra))
        }
        lines.append(makeEvent(.stop, extra: [LogField(.reason, .string(reason.rawValue))] + extra))
        return lines
    }

    private mutating func makeEvent(
        _ kind: EventKind, to: [Int]? = nil, dropped: [Int]? = nil, message: PeerMessage? = nil,
        extra: [LogField] = []
    ) -> VMEvent {
        defer { nextSeq += 1 }
        return VMEvent(
            seq: nextSeq, vm: id, kind: kind, clock: clock.value, queue: queue.count,
            to: to, dropped: dropped, message: message, extra: extra)
    }
}
