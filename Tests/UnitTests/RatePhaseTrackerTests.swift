import Analysis
import EventLog
import Testing

@Suite struct RatePhaseTrackerTests {
    static func phases(_ lines: [String]) throws -> [RatePhase] {
        var tracker = RatePhaseTracker()
        let parser = LogLineParser()
        for line in lines { tracker.consume(try parser.parse(line)) }
        return tracker.allPhases()
    }

    /// A line of VM 1 at second `time` (0-9) of a run.
    static func line(_ seq: Int, _ type: String, time: Int, extra: String = "") -> String {
        #"{"seq":\#(seq),"vm":1,"type":"\#(type)","clock":\#(seq),"time":"2026-01-01T00:00:0\#(time).000000Z","queue":0\#(extra)}"#
    }

    @Test("a VM paused while it waits for its peers starts paused: no rate is expected of it")
    func pausedBeforeStart() throws {
        let phases = try Self.phases([
            Self.line(1, "config", time: 0, extra: #","paused":true"#),
            Self.line(2, "start", time: 1, extra: #","tick_rate":5"#),
            Self.line(3, "config", time: 3, extra: #","paused":false"#),
            Self.line(4, "internal", time: 4),
            Self.line(5, "internal", time: 5),
        ])
        #expect(phases.last?.configuredRate == 5)
        #expect(phases.filter { $0.configuredRate != nil }.count == 1)
    }

    @Test("a run that starts after a stop starts unpaused, whatever the last run ended with")
    func newRunStartsUnpaused() throws {
        let phases = try Self.phases([
            Self.line(1, "start", time: 0, extra: #","tick_rate":5"#),
            Self.line(2, "config", time: 1, extra: #","paused":true"#),
            Self.line(3, "stop", time: 2, extra: #","reason":"signal""#),
            Self.line(4, "start", time: 3, extra: #","tick_rate":5"#),
            Self.line(5, "internal", time: 4),
        ])
        #expect(phases.last?.configuredRate == 5)
    }
}
