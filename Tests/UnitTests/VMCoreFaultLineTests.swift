import EventLog
import Testing

@testable import LamportCore

/// The core's side of the faults: `fault` and `heal` lines, `lost` on a send, duplicate receives.
@Suite struct VMCoreFaultLineTests {
    static func request(_ kind: FaultKind, peers: [Int]? = nil, seconds: Double? = nil) throws -> FaultRequest {
        try FaultRequest(kind: kind, peers: peers, durationSeconds: seconds)
    }

    @Test func faultAndHealLinesCarryTheFaultAndLeaveTheClock() throws {
        var core = VMCoreTests.makeCore()
        for _ in 0..<5 { _ = core.tick() }
        let clock = core.clock.value
        var faults = FaultSet(vmID: 1, peers: [2, 3], random: FaultRandom(seed: 1, vmID: 1))
        let delay = try faults.add(
            Self.request(
                .delay(milliseconds: 50, jitterMilliseconds: 10, distribution: .uniform), peers: [3], seconds: 2.5),
            at: 1_000)
        let started = core.faultStarted(delay)
        #expect(started.kind == .fault)
        #expect(started.clock == clock)
        #expect(
            started.extra == [
                LogField(.id, .int(1)), LogField(.kind, .string("delay")), LogField(.peers, .ints([3])),
                LogField(.ms, .int(50)), LogField(.jitterMs, .int(10)), LogField(.distribution, .string("uniform")),
                LogField(.durationS, .double(2.5)),
            ])
        let loss = try faults.add(Self.request(.loss(probability: 0.25)), at: 2_000)
        #expect(
            core.faultStarted(loss).extra == [
                LogField(.id, .int(2)), LogField(.kind, .string("loss")), LogField(.probability, .double(0.25)),
            ])
        let healed = core.faultEnded(delay, reason: "expired")
        #expect(healed.kind == .heal)
        #expect(healed.clock == clock)
        #expect(healed.seq == started.seq + 2)
        #expect(
            healed.extra == [
                LogField(.id, .int(1)), LogField(.kind, .string("delay")), LogField(.reason, .string("expired")),
            ])
        #expect(!EventKind.fault.isTickEvent && !EventKind.heal.isTickEvent)
    }

    @Test func aDroppedHeldCopyIsADropLineNamingItsSendAndLeavesTheClock() {
        var core = VMCoreTests.makeCore()
        for _ in 0..<3 { _ = core.tick() }
        let clock = core.clock.value
        let message = PeerMessage(from: 1, sendSeq: 2, clock: 2)
        let original = core.copyDropped(OutgoingCopy(message: message, recipient: 3))
        #expect(original.kind == .drop && original.clock == clock && original.to == [3])
        #expect(original.extra == [LogField(.sendSeq, .int(2))])
        let copy = core.copyDropped(OutgoingCopy(message: message, recipient: 3, duplicatedBy: 4))
        #expect(copy.extra == [LogField(.sendSeq, .int(2)), LogField(.duplicate, .bool(true))])
        #expect(core.counters.droppedTo[3] == 1, "only the original counts as dropped on /status")
        #expect(!EventKind.drop.isTickEvent)
    }

    @Test func lostIsAddedToTheSendLineOnlyWhenSomethingWasLost() {
        var event = VMEvent(seq: 3, vm: 1, kind: .send, clock: 2, queue: 0, to: [2, 3])
        event.recordLost([])
        #expect(event.extra.isEmpty)
        event.recordLost([3])
        var encoder = EventLineEncoder()
        let line = encoder.line(event, at: WallTime(microseconds: 0))
        #expect(line.hasSuffix(#""to":[2,3],"lost":[3]}"# + "\n"))
        let record = try? LogLineParser().parse(String(line.dropLast()))
        #expect(record?.lost == [3])
    }

    @Test func aCopyDeliveredAsADuplicateIsADuplicateReceiveAndStillTicks() throws {
        var core = VMCoreTests.makeCore(connected: [])
        let message = PeerMessage(from: 2, sendSeq: 7, clock: 5)
        core.deliver(message)
        core.deliver(PeerMessage(from: 3, sendSeq: 7, clock: 1))
        core.deliver(message, duplicate: true)
        let first = core.tick().event
        let other = core.tick().event
        let second = core.tick().event
        #expect(first.kind == .receive && first.extra.isEmpty && first.clock == 6)
        #expect(other.kind == .receive && other.extra.isEmpty)
        #expect(second.kind == .receive && second.message == message)
        #expect(second.extra == [LogField(.duplicate, .bool(true))])
        #expect(second.clock == 8)
        #expect(core.counters.receiveEvents == 3)
        var encoder = EventLineEncoder()
        let line = encoder.line(second, at: WallTime(microseconds: 0))
        #expect(line.hasSuffix(#""from":2,"send_seq":7,"msg_clock":5,"duplicate":true}"# + "\n"))
        #expect(try LogLineParser().parse(String(line.dropLast())).duplicate)
    }

    @Test func aDuplicateStillQueuedAtTheStopIsAnUnprocessedDuplicate() {
        var core = VMCoreTests.makeCore(connected: [])
        let message = PeerMessage(from: 3, sendSeq: 64, clock: 2)
        core.deliver(message)
        core.deliver(message, duplicate: true)
        let lines = core.stop(reason: .signal)
        #expect(lines.map(\.kind) == [.unprocessed, .unprocessed, .stop])
        #expect(lines[0].extra.isEmpty)
        #expect(lines[1].extra == [LogField(.duplicate, .bool(true))])
    }

    @Test func theQueueKeepsEachDuplicateMarkOnItsOwnMessageAcrossRefills() {
        var queue = MessageQueue()
        var taken: [(Int, Bool)] = []
        var next = 1
        for round in 0..<4 {
            for index in 0..<5 {
                queue.append(PeerMessage(from: 2, sendSeq: next, clock: 1), duplicate: (index + round) % 3 == 0)
                next += 1
            }
            for _ in 0..<3 {
                if let (message, duplicate) = queue.popFirst() { taken.append((message.sendSeq, duplicate)) }
            }
        }
        while let (message, duplicate) = queue.popFirst() { taken.append((message.sendSeq, duplicate)) }
        #expect(taken.map(\.0) == Array(1..<next), "oldest first")
        let expected = (0..<4).flatMap { round in (0..<5).map { index in (index + round) % 3 == 0 } }
        #expect(taken.map(\.1) == expected)
        #expect(queue.count == 0 && queue.popFirst() == nil)
    }
}
