import Testing

@testable import LamportCore

/// Tick k is due at anchor + k / rate, on whatever clock unit the schedule counts.
struct TickScheduleTests {
    @Test("nanoseconds: tick k at anchor + k * 1e9 / rate, the first one at the anchor")
    func nanoseconds() {
        var schedule = TickSchedule(anchor: 1_000, rate: .perSecond(4))
        #expect(schedule.interval == 250_000_000)
        #expect(schedule.nextDue == 1_000)
        #expect(schedule.isDue(at: 1_000) && !schedule.isDue(at: 999))
        for _ in 0..<3 { schedule.recordTick() }
        #expect(schedule.taken == 3)
        #expect(schedule.nextDue == 750_001_000)
        var third = TickSchedule(anchor: 0, rate: .perSecond(3))
        third.recordTick()
        #expect(third.nextDue == 333_333_333)
    }

    @Test("unthrottled: every tick is due at the anchor")
    func unthrottled() {
        var schedule = TickSchedule(anchor: 77, rate: .unthrottled)
        #expect(schedule.interval == nil)
        for _ in 0..<1_000 { schedule.recordTick() }
        #expect(schedule.nextDue == 77 && schedule.isDue(at: 77))
    }

    @Test("reanchor starts over at now with the new rate")
    func reanchor() {
        var schedule = TickSchedule(anchor: 0, rate: .perSecond(2))
        for _ in 0..<10 { schedule.recordTick() }
        schedule.reanchor(at: 5_000, rate: .perSecond(1_000))
        #expect(schedule.taken == 0 && schedule.anchor == 5_000)
        #expect(schedule.nextDue == 5_000)
        schedule.recordTick()
        #expect(schedule.nextDue == 1_005_000)
        schedule.reanchor(at: 6_000, rate: .unthrottled)
        #expect(schedule.interval == nil && schedule.nextDue == 6_000)
    }

    @Test("a deadline beyond UInt64 saturates instead of trapping")
    func saturates() {
        var schedule = TickSchedule(anchor: UInt64.max - 10, rate: .perSecond(1))
        schedule.recordTick()
        #expect(schedule.nextDue == .max)
    }

    @Test(
        "microseconds: exactly round(k * 1e6 / rate), the simulator's schedule",
        arguments: [1, 3, 4, 6, 2.5, 7, 128, 0.3, 0.001, 0.0021, 1001, 123_457, 999_999, 1_000_000])
    func microseconds(rate: Double) {
        var schedule = TickSchedule(anchor: 0, rate: .perSecond(rate), unitsPerSecond: 1_000_000)
        for k in 0..<5_000 {
            #expect(schedule.nextDue == UInt64((Double(k) * 1_000_000 / rate).rounded()), "rate \(rate), tick \(k)")
            schedule.recordTick()
        }
    }
}
