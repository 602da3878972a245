import LamportCore
import Testing

@testable import EventLog

@Suite struct LogLineScannerTests {
    static let line = Array(
        #"{"seq":12,"vm":3,"type":"receive","clock":40,"time":"2026-05-28T20:26:40.000000Z","queue":0,"from":1,"send_seq":9,"msg_clock":-7}"#
            .utf8)

    @Test func readsIntegerFields() {
        #expect(LogLineScanner.int(.seq, in: Self.line) == 12)
        #expect(LogLineScanner.int(.clock, in: Self.line) == 40)
        #expect(LogLineScanner.int(.sendSeq, in: Self.line) == 9)
        #expect(LogLineScanner.int(.msgClock, in: Self.line) == -7)
        #expect(LogLineScanner.int(.queue, in: Self.line) == 0)
    }

    @Test func missingOrNonIntegerFieldsAreNil() {
        #expect(LogLineScanner.int(.dropped, in: Self.line) == nil)
        #expect(LogLineScanner.int(.type, in: Self.line) == nil)
        #expect(LogLineScanner.int(.seq, in: [UInt8]()) == nil)
    }

    @Test func readsTheKindOfALine() {
        Self.line.withUnsafeBytes { #expect(LogLineScanner.kind(in: $0) == .receive) }
        Array(#"{"seq":1,"vm":1,"type":"bogus","clock":1}"#.utf8).withUnsafeBytes {
            #expect(LogLineScanner.kind(in: $0) == nil)
        }
        Array(#"{"seq":1,"vm":1,"clock":1}"#.utf8).withUnsafeBytes { #expect(LogLineScanner.kind(in: $0) == nil) }
    }

    @Test func aKeyInsideALongerKeyIsNotTheKey() {
        let line = Array(#"{"msg_clock":5,"clock":7}"#.utf8)
        #expect(LogLineScanner.int(.clock, in: line) == 7)
    }
}
