import Testing

@testable import VMService

@Suite struct LogLineScannerTests {
    static let line = Array(
        #"{"seq":12,"vm":3,"type":"receive","clock":40,"time":"2026-05-28T20:26:40.000000Z","queue":0,"from":1,"send_seq":9,"msg_clock":-7}"#
            .utf8)

    @Test func readsIntegerFields() {
        #expect(LogLineScanner.int("seq", in: Self.line) == 12)
        #expect(LogLineScanner.int("clock", in: Self.line) == 40)
        #expect(LogLineScanner.int("send_seq", in: Self.line) == 9)
        #expect(LogLineScanner.int("msg_clock", in: Self.line) == -7)
        #expect(LogLineScanner.int("queue", in: Self.line) == 0)
    }

    @Test func missingOrNonIntegerFieldsAreNil() {
        #expect(LogLineScanner.int("dropped", in: Self.line) == nil)
        #expect(LogLineScanner.int("type", in: Self.line) == nil)
        #expect(LogLineScanner.int("seq", in: [UInt8]()) == nil)
    }

    @Test func seqAndClockOfTheLastCompleteLine() throws {
        let tail = Array(
            (#"{"seq":1,"vm":1,"type":"start","clock":0}"# + "\n" + #"{"seq":2,"vm":1,"type":"send","clock":3}"# + "\n")
                .utf8)
        let last = try #require(LogLineScanner.seqAndClock(ofLastLineIn: tail))
        #expect(last.seq == 2)
        #expect(last.clock == 3)
    }

    @Test func aCutLastLineIsIgnored() throws {
        let tail = Array((#"{"seq":1,"vm":1,"type":"start","clock":0}"# + "\n" + #"{"seq":2,"vm":1,"ty"#).utf8)
        let last = try #require(LogLineScanner.seqAndClock(ofLastLineIn: tail))
        #expect(last.seq == 1)
        #expect(last.clock == 0)
        #expect(LogLineScanner.seqAndClock(ofLastLineIn: Array(#"{"seq":5,"clock":9"#.utf8)) == nil)
    }

    @Test func linesWithoutSeqAndClockAreSkipped() throws {
        // The tail of a file may start in the middle of a line.
        let tail = Array((#"e":"x","clock":4}"# + "\n" + #"{"seq":8,"clock":5}"# + "\n" + "\n").utf8)
        let last = try #require(LogLineScanner.seqAndClock(ofLastLineIn: tail))
        #expect(last.seq == 8)
        #expect(LogLineScanner.seqAndClock(ofLastLineIn: Array(#"q":4,"clock":5}"#.utf8 + [10])) == nil)
    }
}
