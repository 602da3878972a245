import Testing

@testable import EventLog

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
}
