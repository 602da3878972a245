import Testing

@testable import LamportCore

@Suite struct VMCoreTests {
    /// VM `id` of a cluster of `clusterSize` VMs, with the given peers connected.
    static func makeCore(
        id: Int = 1, clusterSize: Int = 3, maxAction: Int = 10, seed: UInt64 = 42, connected: [Int]? = nil,
        resumingAfter previous: (seq: Int, clock: Int)? = nil
    ) -> VMCore {
        let peers = (1...clusterSize).filter { $0 != id }
        var core = VMCore(
            id: id, peers: peers, tuning: VMTuning(tickRate: .perSecond(1), maxAction: maxAction),
            random: SeededRandom(seed: seed, vmID: id), resumingAfter: previous)
        for peer in connected ?? peers {
            _ = core.peerConnected(peer)
        }
        return core
    }

    /// Ticks until `predicate` holds for an outcome (the core's random draws are deterministic).
    static func tick(
        _ core: inout VMCore, until predicate: (VMCore.TickOutcome) -> Bool, limit: Int = 10_000
    ) -> VMCore.TickOutcome? {
        for _ in 0..<limit {
            let outcome = core.tick()
            if predicate(outcome) { return outcome }
        }
        return nil
    }

    /// The action class of a tick event: 0 internal, `i` for a send to the `i`-th peer, N for a send to all.
    static func actionClass(_ event: VMEvent, peers: [Int]) -> Int {
        switch event.kind {
        case .internalEvent: return 0
        case .send:
            let to = event.to ?? []
            if to.count > 1 { return peers.count + 1 }
            return (peers.firstIndex(of: to[0]) ?? -100) + 1
        default: return -1
        }
    }

    // MARK: Sends

    @Test func sendCarriesClockAfterItsIncrement() throws {
        // maxAction == cluster size: every idle tick is a send.
        var core = Self.makeCore(maxAction: 3)
        let seqBefore = core.nextSeq
        let outcome = core.tick()
        #expect(outcome.event.kind == .send)
        #expect(outcome.event.clock == 1)
        #expect(outcome.event.seq == seqBefore)
        let outgoing = try #require(outcome.outgoing)
        #expect(outgoing.message.from == 1)
        #expect(outgoing.message.clock == outcome.event.clock)
        #expect(outgoing.message.sendSeq == outcome.event.seq)
        #expect(outgoing.recipients == outcome.event.to)
        #expect(outcome.event.dropped == nil)
    }

    @Test func everySendCarriesItsEventsClockAndSeq() throws {
        var core = Self.makeCore(maxAction: 3)
        for _ in 0..<50 {
            let outcome = core.tick()
            let outgoing = try #require(outcome.outgoing)
            #expect(outgoing.message.clock == outcome.event.clock)
            #expect(outgoing.message.sendSeq == outcome.event.seq)
            #expect(outgoing.message.clock == core.clock.value)
        }
    }

    @Test func sendToAllIsOneEventWithOneIncrement() throws {
        var core = Self.makeCore(id: 2, maxAction: 3)
        var clockBefore = 0
        var seqBefore = 0
        let outcome = try #require(
            Self.tick(&core) { outcome in
                if outcome.event.to?.count == 2 { return true }
                clockBefore = outcome.event.clock
                seqBefore = outcome.event.seq
                return false
            })
        #expect(outcome.event.kind == .send)
        #expect(outcome.event.to == [1, 3])
        #expect(outcome.event.clock == clockBefore + 1)
        #expect(outcome.event.seq == seqBefore + 1)
        let outgoing = try #require(outcome.outgoing)
        #expect(outgoing.recipients == [1, 3])
        #expect(outgoing.message == PeerMessage(from: 2, sendSeq: outcome.event.seq, clock: outcome.event.clock))
    }

    @Test func sendToAllInFiveVMClusterListsAllPeers() throws {
        var core = Self.makeCore(id: 3, clusterSize: 5, maxAction: 5)
        let outcome = try #require(Self.tick(&core) { $0.event.to?.count == 4 })
        #expect(outcome.event.to == [1, 2, 4, 5])
        #expect(outcome.outgoing?.recipients == [1, 2, 4, 5])
    }

    @Test func disconnectedPeersAreDroppedNotSent() throws {
        var core = Self.makeCore(maxAction: 3, connected: [2])
        let toAll = try #require(Self.tick(&core) { $0.event.to == [2, 3] })
        #expect(toAll.event.dropped == [3])
        #expect(toAll.outgoing?.recipients == [2])
        #expect(toAll.outgoing?.message.sendSeq == toAll.event.seq)

        let toDown = try #require(Self.tick(&core) { $0.event.to == [3] })
        #expect(toDown.event.dropped == [3])
        #expect(toDown.outgoing == nil)

        let toUp = try #require(Self.tick(&core) { $0.event.to == [2] })
        #expect(toUp.event.dropped == nil)
        #expect(toUp.outgoing?.recipients == [2])
    }

    @Test func whenAllPeersAreDownThereIsNoOutgoing() throws {
        var core = Self.makeCore(maxAction: 3, connected: [])
        for _ in 0..<30 {
            let outcome = core.tick()
            #expect(outcome.event.kind == .send)
            #expect(outcome.event.dropped == outcome.event.to)
            #expect(outcome.outgoing == nil)
        }
        #expect(core.counters.sentTo.isEmpty)
        #expect(core.counters.sendEvents == 30)
        #expect(core.counters.droppedTo.values.reduce(0, +) >= 30)
        #expect(core.clock.value == 30)
    }

    @Test func peerDownStopsSendsToIt() throws {
        var core = Self.makeCore(maxAction: 3)
        let maybeDown = core.peerDisconnected(3, reason: "connection reset")
        let down = try #require(maybeDown)
        #expect(down.kind == .peerDown)
        #expect(down.extra == [LogField("peer", .int(3)), LogField("reason", .string("connection reset"))])
        #expect(core.connectedPeers == [2])
        let outcome = try #require(Self.tick(&core) { $0.event.to == [2, 3] })
        #expect(outcome.event.dropped == [3])
        #expect(outcome.outgoing?.recipients == [2])
    }

    // MARK: Receives

    @Test func queuedMessagesAreProcessedOnePerTickBeforeIdleActions() throws {
        var core = Self.makeCore(maxAction: 3)  // idle ticks would all be sends
        core.deliver(PeerMessage(from: 2, sendSeq: 7, clock: 10))
        core.deliver(PeerMessage(from: 3, sendSeq: 4, clock: 3))
        core.deliver(PeerMessage(from: 2, sendSeq: 8, clock: 30))
        #expect(core.queueLength == 3)

        let first = core.tick()
        #expect(first.event.kind == .receive)
        #expect(first.event.clock == 11)
        #expect(first.event.message == PeerMessage(from: 2, sendSeq: 7, clock: 10))
        #expect(first.event.queue == 2)
        #expect(first.outgoing == nil)

        let second = core.tick()
        #expect(second.event.kind == .receive)
        #expect(second.event.clock == 12)  // local 11 > message 3
        #expect(second.event.message == PeerMessage(from: 3, sendSeq: 4, clock: 3))
        #expect(second.event.queue == 1)

        let third = core.tick()
        #expect(third.event.clock == 31)
        #expect(third.event.message?.sendSeq == 8)
        #expect(third.event.queue == 0)

        let idle = core.tick()
        #expect(idle.event.kind == .send)
        #expect(idle.event.clock == 32)
        #expect(idle.event.message == nil)
    }

    @Test func receiveOfEqualClockIncrementsByOne() {
        var core = Self.makeCore(connected: [])
        for _ in 0..<5 { _ = core.tick() }
        core.deliver(PeerMessage(from: 3, sendSeq: 1, clock: 5))
        let outcome = core.tick()
        #expect(outcome.event.kind == .receive)
        #expect(outcome.event.clock == 6)
    }

    @Test func deliverQueuesWithoutLoggingOrTicking() {
        var core = Self.makeCore()
        let seq = core.nextSeq
        core.deliver(PeerMessage(from: 2, sendSeq: 1, clock: 100))
        core.deliver(PeerMessage(from: 3, sendSeq: 1, clock: 200))
        #expect(core.clock.value == 0)
        #expect(core.nextSeq == seq)
        #expect(
            core.queuedMessages == [
                PeerMessage(from: 2, sendSeq: 1, clock: 100), PeerMessage(from: 3, sendSeq: 1, clock: 200),
            ])
    }

    // MARK: Numbering and lifecycle

    @Test func seqNumbersHaveNoGapsAcrossTickAndLifecycleLines() throws {
        var core = Self.makeCore(connected: [])
        var events: [VMEvent] = []
        events.append(core.peerConnected(2))
        events.append(core.peerConnected(3))
        events.append(core.start(extra: [LogField("tick_rate", .int(1))]))
        events.append(core.tick().event)
        core.deliver(PeerMessage(from: 2, sendSeq: 1, clock: 9))
        events.append(core.tick().event)
        events.append(core.retune(VMTuning(tickRate: .perSecond(3), maxAction: 10)))
        events.append(core.tick().event)
        let down = core.peerDisconnected(2, reason: "closed")
        events.append(try #require(down))
        events.append(core.tick().event)
        core.deliver(PeerMessage(from: 3, sendSeq: 2, clock: 1))
        core.deliver(PeerMessage(from: 3, sendSeq: 3, clock: 2))
        events.append(contentsOf: core.stop(reason: .signal))
        #expect(events.map(\.seq) == Array(1...events.count))
        #expect(events.allSatisfy { $0.vm == 1 })
        #expect(core.nextSeq == events.count + 1)
    }

    @Test func lifecycleLinesDoNotChangeTheClock() throws {
        var core = Self.makeCore(connected: [])
        let up = core.peerConnected(2)
        #expect(up.kind == .peerUp)
        #expect(up.clock == 0)
        #expect(up.extra == [LogField("peer", .int(2))])
        let start = core.start(extra: [LogField("seed", .int(42))])
        #expect(start.kind == .start)
        #expect(start.clock == 0)
        #expect(start.extra == [LogField("seed", .int(42))])
        for _ in 0..<4 { _ = core.tick() }
        #expect(core.clock.value == 4)
        let config = core.retune(VMTuning(tickRate: .perSecond(2), maxAction: 10))
        #expect(config.kind == .config)
        #expect(config.clock == 4)
        let maybeDown = core.peerDisconnected(2, reason: "eof")
        let down = try #require(maybeDown)
        #expect(down.clock == 4)
        core.deliver(PeerMessage(from: 3, sendSeq: 9, clock: 99))
        let lines = core.stop(reason: .runTime)
        #expect(lines.map(\.kind) == [.unprocessed, .stop])
        #expect(lines.allSatisfy { $0.clock == 4 })
        #expect(core.clock.value == 4)
    }

    @Test func peerDisconnectedOnPeerThatWasNotUpReturnsNil() {
        var core = Self.makeCore(connected: [2])
        let seq = core.nextSeq
        #expect(core.peerDisconnected(3, reason: "eof") == nil)
        #expect(core.peerDisconnected(7, reason: "eof") == nil)
        #expect(core.peerDisconnected(2, reason: "eof") != nil)
        #expect(core.peerDisconnected(2, reason: "eof") == nil)
        #expect(core.nextSeq == seq + 1)
    }

    @Test func stopWritesUnprocessedLinesInOrderThenStop() {
        var core = Self.makeCore()
        let messages = [
            PeerMessage(from: 2, sendSeq: 5, clock: 8),
            PeerMessage(from: 3, sendSeq: 2, clock: 4),
            PeerMessage(from: 2, sendSeq: 6, clock: 9),
        ]
        for message in messages { core.deliver(message) }
        let lines = core.stop(reason: .signal, extra: [LogField("signal", .string("SIGTERM"))])
        #expect(lines.count == 4)
        #expect(lines.prefix(3).map(\.kind) == [.unprocessed, .unprocessed, .unprocessed])
        #expect(lines.prefix(3).map(\.message) == messages)
        #expect(lines.prefix(3).map(\.queue) == [2, 1, 0])
        #expect(lines[3].kind == .stop)
        #expect(lines[3].queue == 0)
        #expect(lines[3].extra == [LogField("reason", .string("signal")), LogField("signal", .string("SIGTERM"))])
        #expect(lines.map(\.seq) == Array(lines[0].seq...lines[0].seq + 3))
        #expect(core.queueLength == 0)
        #expect(core.queuedMessages.isEmpty)
    }

    @Test func stopWithEmptyQueueIsOneLine() {
        var core = Self.makeCore()
        let lines = core.stop(reason: .runTime)
        #expect(lines.map(\.kind) == [.stop])
        #expect(lines[0].extra == [LogField("reason", .string("run_time"))])
    }

    // MARK: Retune

    @Test func retuneListsOnlyChangedFields() {
        var core = Self.makeCore()
        let nothing = core.retune(VMTuning(tickRate: .perSecond(1), maxAction: 10))
        #expect(nothing.kind == .config)
        #expect(nothing.extra.isEmpty)

        let maxAction = core.retune(VMTuning(tickRate: .perSecond(1), maxAction: 5))
        #expect(maxAction.extra == [LogField("max_action", .int(5))])

        let rate = core.retune(VMTuning(tickRate: .perSecond(2.5), maxAction: 5))
        #expect(rate.extra == [LogField("tick_rate", .double(2.5))])

        let paused = core.retune(VMTuning(tickRate: .perSecond(2.5), maxAction: 5, paused: true))
        #expect(paused.extra == [LogField("paused", .bool(true))])

        let all = core.retune(VMTuning(tickRate: .unthrottled, maxAction: 10, paused: false))
        #expect(
            all.extra == [
                LogField("tick_rate", .string("max")), LogField("max_action", .int(10)),
                LogField("paused", .bool(false)),
            ])
        #expect(core.tuning == VMTuning(tickRate: .unthrottled, maxAction: 10, paused: false))

        let integerRate = core.retune(VMTuning(tickRate: .perSecond(6), maxAction: 10))
        #expect(integerRate.extra == [LogField("tick_rate", .int(6))])
    }

    @Test func retuneAppliesFromTheNextTick() {
        var core = Self.makeCore(maxAction: 1000)
        _ = core.retune(VMTuning(tickRate: .perSecond(1), maxAction: 3))
        for _ in 0..<30 {
            #expect(core.tick().event.kind == .send)
        }
    }

    // MARK: Resuming

    @Test func resumingAfterContinuesSeqAndClock() {
        var core = Self.makeCore(connected: [], resumingAfter: (seq: 41, clock: 17))
        #expect(core.nextSeq == 42)
        #expect(core.clock.value == 17)
        let start = core.start(extra: [])
        #expect(start.seq == 42)
        #expect(start.clock == 17)
        let tick = core.tick()
        #expect(tick.event.seq == 43)
        #expect(tick.event.clock == 18)
        core.deliver(PeerMessage(from: 2, sendSeq: 1, clock: 3))
        #expect(core.tick().event.clock == 19)
    }

    // MARK: Counters

    @Test func countersMatchTheEvents() {
        var core = Self.makeCore(clusterSize: 3, maxAction: 6, connected: [2])
        var internalCount = 0
        var sendCount = 0
        var receiveCount = 0
        var sentTo: [Int: Int] = [:]
        var droppedTo: [Int: Int] = [:]
        var receivedFrom: [Int: Int] = [:]
        for step in 0..<500 {
            if step % 7 == 0 {
                core.deliver(PeerMessage(from: step % 2 == 0 ? 2 : 3, sendSeq: step, clock: step))
            }
            let event = core.tick().event
            switch event.kind {
            case .internalEvent: internalCount += 1
            case .send:
                sendCount += 1
                for peer in event.to ?? [] where !(event.dropped ?? []).contains(peer) { sentTo[peer, default: 0] += 1 }
                for peer in event.dropped ?? [] { droppedTo[peer, default: 0] += 1 }
            case .receive:
                receiveCount += 1
                receivedFrom[event.message!.from, default: 0] += 1
            default: Issue.record("unexpected \(event.kind)")
            }
        }
        #expect(internalCount > 0 && sendCount > 0 && receiveCount > 0)
        #expect(core.counters.internalEvents == internalCount)
        #expect(core.counters.sendEvents == sendCount)
        #expect(core.counters.receiveEvents == receiveCount)
        #expect(core.counters.tickEvents == 500)
        #expect(core.counters.sentTo == sentTo)
        #expect(core.counters.droppedTo == droppedTo)
        #expect(core.counters.receivedFrom == receivedFrom)
        #expect(core.counters.arrivedFrom == receivedFrom)
        #expect(sentTo.keys.sorted() == [2])
        #expect(droppedTo.keys.sorted() == [3])
    }

    @Test func maxQueueIsTheLongestTheQueueHasBeen() {
        var core = Self.makeCore()
        #expect(core.counters.maxQueue == 0)
        for seq in 1...3 { core.deliver(PeerMessage(from: 2, sendSeq: seq, clock: seq)) }
        _ = core.tick()
        _ = core.tick()
        core.deliver(PeerMessage(from: 3, sendSeq: 1, clock: 1))
        #expect(core.queueLength == 2)
        #expect(core.counters.maxQueue == 3)
        for seq in 2...4 { core.deliver(PeerMessage(from: 3, sendSeq: seq, clock: seq)) }
        #expect(core.counters.maxQueue == 5)
        #expect(core.counters.arrivedFrom == [2: 3, 3: 4])
        #expect(core.counters.receivedFrom == [2: 2])
    }

    // MARK: Determinism

    @Test func sameSeedSameSequenceOfEvents() {
        var first = Self.makeCore(seed: 2026)
        var second = Self.makeCore(seed: 2026)
        for step in 0..<300 {
            if step % 5 == 0 {
                let message = PeerMessage(from: 2, sendSeq: step, clock: step * 2)
                first.deliver(message)
                second.deliver(message)
            }
            #expect(first.tick() == second.tick())
        }
        #expect(first.counters == second.counters)
    }

    @Test func differentVMIDsWithTheSameSeedDrawDifferentSequences() {
        var vm1 = Self.makeCore(id: 1, seed: 2026)
        var vm2 = Self.makeCore(id: 2, seed: 2026)
        let classes1 = (0..<200).map { _ in Self.actionClass(vm1.tick().event, peers: vm1.peers) }
        let classes2 = (0..<200).map { _ in Self.actionClass(vm2.tick().event, peers: vm2.peers) }
        #expect(classes1 != classes2)
    }

    @Test func differentSeedsDrawDifferentSequences() {
        var first = Self.makeCore(seed: 1)
        var second = Self.makeCore(seed: 2)
        let a = (0..<200).map { _ in first.tick().event }
        let b = (0..<200).map { _ in second.tick().event }
        #expect(a != b)
    }

    @Test func idleActionsFollowThePolicyDistribution() {
        // Over many idle ticks of a 3-VM cluster with MAX_ACTION 10 each roll class occurs.
        var core = Self.makeCore(id: 2)
        var counts: [Int: Int] = [:]
        for _ in 0..<3000 {
            counts[Self.actionClass(core.tick().event, peers: core.peers), default: 0] += 1
        }
        #expect(Set(counts.keys) == [0, 1, 2, 3])
        // internal is 7 of 10 rolls, so by far the most frequent.
        #expect(counts[0]! > counts[1]! + counts[2]! + counts[3]!)
    }
}
