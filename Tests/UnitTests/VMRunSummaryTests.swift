import EventLog
import Testing

@testable import Analysis

/// Per-VM figures of `vmserver analyze`.
@Suite struct VMRunSummaryTests {
    /// A line of VM 1 at `tenths` tenths of a second into the run.
    static func line(_ seq: Int, _ type: String, tenths: Int, extra: String = "") -> String {
        let seconds = tenths / 10
        let stamp = "2026-01-01T00:\(String(format: "%02d", seconds / 60)):\(String(format: "%02d", seconds % 60))"
        return
            #"{"seq":\#(seq),"vm":1,"type":"\#(type)","clock":\#(seq),"time":"\#(stamp).\#(tenths % 10)00000Z","queue":0\#(extra)}"#
    }

    @Test("the measured rate leaves out the time a crashed VM was down before its restart")
    func measuredRateAcrossARestart() throws {
        var lines = [Self.line(1, "start", tenths: 0, extra: #","tick_rate":10"#)]
        // 11 ticks at 10 per second, a crash, 30 s down, a restart, 11 more ticks.
        for tick in 0...10 { lines.append(Self.line(lines.count + 1, "internal", tenths: tick)) }
        lines.append(
            Self.line(lines.count + 1, "start", tenths: 310, extra: #","tick_rate":10,"resumed_after_seq":12"#))
        for tick in 0...10 { lines.append(Self.line(lines.count + 1, "internal", tenths: 310 + tick)) }
        var summary = VMRunSummary(vm: 1)
        let parser = LogLineParser()
        for line in lines { summary.add(try parser.parse(line)) }
        let measured = try #require(summary.measuredTickRate)
        #expect(abs(measured - 10) < 0.001, "\(measured)")
        #expect(summary.tickEvents == 22)
    }
}
