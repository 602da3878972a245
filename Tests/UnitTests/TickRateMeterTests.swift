import Testing

@testable import VMRuntime

/// `TickRateMeter`: the measured tick rate, with times given in nanoseconds (no clock involved).
@Suite struct TickRateMeterTests {
    static let second: UInt64 = 1_000_000_000

    /// A meter fed one sample per tick at `rate` ticks/s from `start` for `ticks` ticks, counting from `count`.
    static func feed(
        _ meter: inout TickRateMeter, rate: Double, from start: UInt64, ticks: Int, count: Int = 0
    ) -> (time: UInt64, count: Int) {
        let interval = UInt64(Double(second) / rate)
        var time = start
        for tick in 1...ticks {
            time = start + UInt64(tick - 1) * interval
            meter.record(at: time, ticks: count + tick)
        }
        return (time, count + ticks)
    }

    @Test("a steady rate is measured exactly")
    func steady() {
        var meter = TickRateMeter()
        let (last, _) = Self.feed(&meter, rate: 4, from: 10 * Self.second, ticks: 20)
        #expect(meter.rate(at: last) == 4)
        #expect(meter.rate(at: last + Self.second / 10) == 4)
    }

    @Test("0 before the first two ticks, when nothing was measured before")
    func nothingYet() {
        var meter = TickRateMeter()
        #expect(meter.rate(at: Self.second) == 0)
        meter.record(at: Self.second, ticks: 1)
        #expect(meter.rate(at: Self.second + 1) == 0)
    }

    @Test("after a retune: the earlier rate until two ticks at the new rate, then only the new rate")
    func retune() {
        var meter = TickRateMeter()
        var (time, count) = Self.feed(&meter, rate: 50, from: Self.second, ticks: 200)
        #expect(meter.rate(at: time) == 50)
        time += Self.second / 100
        meter.retune(at: time)
        #expect(meter.rate(at: time) == 50, "nothing measured at the new rate yet: the rate before the change")
        count += 1
        meter.record(at: time, ticks: count)  // the first tick at the new rate is due at once
        #expect(meter.rate(at: time + Self.second / 4) == 50, "one tick is no measurement")
        count += 1
        meter.record(at: time + Self.second / 2, ticks: count)  // 2 ticks/s
        #expect(meter.rate(at: time + Self.second / 2) == 2, "two ticks at the new rate: only they count")
        let (later, _) = Self.feed(&meter, rate: 2, from: time + Self.second, ticks: 10, count: count)
        #expect(meter.rate(at: later) == 2)
    }

    @Test("a pause and a resume: the rate before the pause until two ticks after the resume")
    func pauseAndResume() {
        var meter = TickRateMeter()
        let (time, count) = Self.feed(&meter, rate: 10, from: Self.second, ticks: 50)
        meter.retune(at: time + Self.second / 20)  // paused (the node reports 0 while paused)
        let resume = time + 30 * Self.second
        meter.retune(at: resume)  // resumed: nothing to measure, the earlier measurement stays
        #expect(meter.rate(at: resume) == 10)
        meter.record(at: resume, ticks: count + 1)
        meter.record(at: resume + Self.second / 10, ticks: count + 2)
        #expect(meter.rate(at: resume + Self.second / 10) == 10)
    }

    @Test("two retunes in a row keep the last real measurement")
    func retuneTwice() {
        var meter = TickRateMeter()
        let (time, count) = Self.feed(&meter, rate: 5, from: Self.second, ticks: 20)
        meter.retune(at: time + 1)
        meter.record(at: time + 2, ticks: count + 1)
        meter.retune(at: time + 3)
        #expect(meter.rate(at: time + 4) == 5)
    }

    @Test("0 when the last tick is long past: the VM is not ticking")
    func stale() {
        var meter = TickRateMeter()
        let (time, _) = Self.feed(&meter, rate: 4, from: Self.second, ticks: 20)
        #expect(meter.rate(at: time + 10 * Self.second) == 0)
    }

    @Test("the window drops old samples, so a slower rate shows within about 2 s")
    func window() {
        var meter = TickRateMeter()
        let (time, count) = Self.feed(&meter, rate: 100, from: Self.second, ticks: 500)
        // The rate drops to 10/s without a retune (a slow host): after 3 s only the new rate counts.
        let (later, _) = Self.feed(&meter, rate: 10, from: time + Self.second / 10, ticks: 30, count: count)
        #expect(abs(meter.rate(at: later) - 10) < 0.01)
    }
}
