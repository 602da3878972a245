import Testing

@testable import LamportCore

/// Values from peers never reach the clock unchecked, and a clock at its limit is exhausted.
struct ClockLimitTests {
    static func core() -> VMCore {
        var core = VMCore(
            id: 1, peers: [2, 3], tuning: VMTuning(tickRate: .perSecond(1), maxAction: 10),
            random: SeededRandom(seed: 1, vmID: 1))
        _ = core.peerConnected(2)
        _ = core.peerConnected(3)
        return core
    }

    @Test("deliver refuses a stamp or send_seq outside 1...2^53-1 and queues nothing")
    func deliverChecksValues() {
        var core = Self.core()
        for bad in [0, -1, LamportClock.maximumStamp + 1, Int.max] {
            let badClock = core.deliver(PeerMessage(from: 2, sendSeq: 1, clock: bad))
            let badSeq = core.deliver(PeerMessage(from: 2, sendSeq: bad, clock: 1))
            #expect(!badClock && !badSeq, "\(bad) must be refused")
        }
        #expect(core.queueLength == 0)
        let atLimit = core.deliver(PeerMessage(from: 2, sendSeq: 1, clock: LamportClock.maximumStamp))
        #expect(atLimit)
        #expect(core.queueLength == 1)
    }

    @Test("receiving the largest stamp leaves the clock at 2^53, exhausted, and nothing overflows")
    func exhaustion() {
        var core = Self.core()
        #expect(!core.clock.isExhausted)
        core.deliver(PeerMessage(from: 2, sendSeq: 1, clock: LamportClock.maximumStamp))
        let outcome = core.tick()
        #expect(outcome.event.kind == .receive)
        #expect(core.clock.value == LamportClock.maximumStamp + 1)
        #expect(core.clock.isExhausted)
    }

    @Test("a clock resumed from a log at the limit starts exhausted")
    func resumedAtTheLimit() {
        let core = VMCore(
            id: 1, peers: [2], tuning: VMTuning(tickRate: .perSecond(1), maxAction: 10),
            random: SeededRandom(seed: 1, vmID: 1), resumingAfter: (seq: 10, clock: LamportClock.maximumStamp))
        #expect(core.clock.isExhausted)
    }
}
