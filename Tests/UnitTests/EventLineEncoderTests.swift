import Foundation
import Testing

@testable import EventLog
@testable import LamportCore

@Suite struct EventLineEncoderTests {
    static let time = WallTime(microseconds: 1_780_000_000_123_456)
    static let timeText = "2026-05-28T20:26:40.123456Z"

    static func line(_ event: VMEvent, at time: WallTime = time) -> String {
        var encoder = EventLineEncoder()
        return encoder.line(event, at: time)
    }

    static func parse(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func sendLineWithDropped() {
        let event = VMEvent(seq: 12, vm: 1, kind: .send, clock: 9, queue: 0, to: [2, 3], dropped: [3])
        #expect(
            Self.line(event)
                == #"{"seq":12,"vm":1,"type":"send","clock":9,"time":"2026-05-28T20:26:40.123456Z","queue":0,"#
                + #""to":[2,3],"dropped":[3]}"# + "\n")
    }

    @Test func sendLineWithoutDropped() {
        let event = VMEvent(seq: 1, vm: 2, kind: .send, clock: 1, queue: 3, to: [1])
        #expect(
            Self.line(event)
                == #"{"seq":1,"vm":2,"type":"send","clock":1,"time":"2026-05-28T20:26:40.123456Z","queue":3,"to":[1]}"#
                + "\n")
    }

    @Test func receiveLine() {
        let event = VMEvent(
            seq: 40, vm: 3, kind: .receive, clock: 57, queue: 2, message: PeerMessage(from: 1, sendSeq: 33, clock: 56))
        #expect(
            Self.line(event)
                == #"{"seq":40,"vm":3,"type":"receive","clock":57,"time":"2026-05-28T20:26:40.123456Z","queue":2,"#
                + #""from":1,"send_seq":33,"msg_clock":56}"# + "\n")
    }

    @Test func unprocessedLine() {
        let event = VMEvent(
            seq: 41, vm: 3, kind: .unprocessed, clock: 57, queue: 1, message: PeerMessage(from: 2, sendSeq: 8, clock: 5)
        )
        #expect(
            Self.line(event, at: WallTime(microseconds: 0))
                == #"{"seq":41,"vm":3,"type":"unprocessed","clock":57,"time":"1970-01-01T00:00:00.000000Z","queue":1,"#
                + #""from":2,"send_seq":8,"msg_clock":5}"# + "\n")
    }

    @Test func internalLine() {
        let event = VMEvent(seq: 7, vm: 2, kind: .internalEvent, clock: 1234567, queue: 0)
        #expect(
            Self.line(event)
                == #"{"seq":7,"vm":2,"type":"internal","clock":1234567,"time":"2026-05-28T20:26:40.123456Z","queue":0}"#
                + "\n")
    }

    @Test func lifecycleLineWithExtras() {
        let event = VMEvent(
            seq: 1, vm: 2, kind: .start, clock: 0, queue: 0,
            extra: [
                LogField("tick_rate", .int(4)), LogField("host", .string("127.0.0.1")),
                LogField("paused", .bool(false)),
                LogField("resumed", .bool(true)), LogField("peers", .ints([1, 3])), LogField("rate", .double(2.5)),
                LogField("none", .null), LogField("empty", .ints([])),
            ])
        #expect(
            Self.line(event)
                == #"{"seq":1,"vm":2,"type":"start","clock":0,"time":"2026-05-28T20:26:40.123456Z","queue":0,"#
                + #""tick_rate":4,"host":"127.0.0.1","paused":false,"resumed":true,"peers":[1,3],"rate":2.5,"#
                + #""none":null,"empty":[]}"# + "\n")
    }

    @Test(arguments: EventKind.allCases)
    func typeNames(kind: EventKind) throws {
        let dict = try Self.parse(Self.line(VMEvent(seq: 1, vm: 1, kind: kind, clock: 0, queue: 0)))
        let expected: [EventKind: String] = [
            .start: "start", .config: "config", .peerUp: "peer_up", .peerDown: "peer_down",
            .internalEvent: "internal", .send: "send", .receive: "receive", .unprocessed: "unprocessed",
            .stop: "stop", .fault: "fault", .heal: "heal", .drop: "drop",
        ]
        #expect(dict["type"] as? String == expected[kind])
    }

    @Test func nonFiniteDoublesAreNull() throws {
        let event = VMEvent(
            seq: 1, vm: 1, kind: .config, clock: 0, queue: 0,
            extra: [LogField("a", .double(.infinity)), LogField("b", .double(.nan)), LogField("c", .double(-0.25))])
        let line = Self.line(event)
        #expect(line.hasSuffix(#""a":null,"b":null,"c":-0.25}"# + "\n"))
        let dict = try Self.parse(line)
        #expect(dict["a"] is NSNull)
        #expect(dict["c"] as? Double == -0.25)
    }

    @Test func stringsAreEscaped() throws {
        let nasty = "say \"hi\"\\ back\nnext\tline\r\u{01}\u{1F}é✓"
        let event = VMEvent(
            seq: 1, vm: 1, kind: .peerDown, clock: 0, queue: 0,
            extra: [LogField("reason", .string(nasty)), LogField("key \"q\"", .string("v"))])
        let line = Self.line(event)
        #expect(line.contains(#""reason":"say \"hi\"\\ back\nnext\tline\r\u0001\u001fé✓""#))
        #expect(line.contains(#""key \"q\"":"v""#))
        #expect(line.filter { $0 == "\n" }.count == 1)
        let dict = try Self.parse(line)
        #expect(dict["reason"] as? String == nasty)
        #expect(dict["key \"q\""] as? String == "v")
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, 12345, -1, -10, -987654, Int.max, Int.min])
    func integersRoundTrip(value: Int) throws {
        let event = VMEvent(seq: value, vm: 1, kind: .internalEvent, clock: value, queue: 0)
        let line = Self.line(event)
        #expect(line.hasPrefix("{\"seq\":\(value),"))
        #expect(line.contains("\"clock\":\(value),"))
        let dict = try Self.parse(line)
        #expect((dict["seq"] as? NSNumber)?.int64Value == Int64(value))
    }

    @Test func everyLineParsesAndEndsWithNewline() throws {
        let events = [
            VMEvent(seq: 1, vm: 1, kind: .peerUp, clock: 0, queue: 0, extra: [LogField("peer", .int(2))]),
            VMEvent(seq: 2, vm: 1, kind: .start, clock: 0, queue: 0, extra: [LogField("tick_rate", .string("max"))]),
            VMEvent(seq: 3, vm: 1, kind: .internalEvent, clock: 1, queue: 0),
            VMEvent(seq: 4, vm: 1, kind: .send, clock: 2, queue: 0, to: [2, 3], dropped: [2, 3]),
            VMEvent(
                seq: 5, vm: 1, kind: .receive, clock: 9, queue: 4, message: PeerMessage(from: 2, sendSeq: 3, clock: 8)),
            VMEvent(seq: 6, vm: 1, kind: .config, clock: 9, queue: 4, extra: []),
            VMEvent(seq: 7, vm: 1, kind: .stop, clock: 9, queue: 0, extra: [LogField("reason", .string("signal"))]),
        ]
        var encoder = EventLineEncoder()
        var buffer: [UInt8] = []
        for (index, event) in events.enumerated() {
            let time = WallTime(microseconds: 1_780_000_000_999_998 + Int64(index))
            let line = encoder.line(event, at: time)
            #expect(line.hasSuffix("}\n"))
            #expect(line.dropLast().contains("\n") == false)
            let dict = try Self.parse(line)
            #expect(dict["seq"] as? Int == event.seq)
            #expect(dict["vm"] as? Int == event.vm)
            #expect(dict["clock"] as? Int == event.clock)
            #expect(dict["queue"] as? Int == event.queue)
            #expect(dict["time"] is String)
            encoder.append(event, at: time, to: &buffer)
        }
        // append(to:) writes the same bytes as line(_:at:), one line per event.
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text.split(separator: "\n").count == events.count)
        #expect(text.hasSuffix("\n"))
        #expect(text.contains(#""time":"2026-05-28T20:26:41.000000Z""#))
    }

    @Test func keyOrderStartsWithSeqVmTypeClockTimeQueue() {
        let event = VMEvent(
            seq: 5, vm: 2, kind: .receive, clock: 8, queue: 1, message: PeerMessage(from: 1, sendSeq: 4, clock: 7),
            extra: [LogField("note", .string("x"))])
        let line = Self.line(event)
        let keys = [
            "\"seq\":", "\"vm\":", "\"type\":", "\"clock\":", "\"time\":", "\"queue\":", "\"from\":", "\"send_seq\":",
            "\"msg_clock\":", "\"note\":",
        ]
        let positions = keys.map { line.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        let offsets = positions.compactMap { $0.map { line.distance(from: line.startIndex, to: $0) } }
        #expect(offsets == offsets.sorted())
        #expect(line.hasPrefix(#"{"seq":5,"vm":2,"type":"receive","clock":8,"time":""#))
    }
}
