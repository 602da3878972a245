import Testing

@testable import JSONText
@testable import LamportCore
@testable import Settings

/// `FaultRequest.parse` and `jsonText`: one reader of fault bodies for the control plane, the
/// `--fault` options and plans, and a writer whose text it reads back to the same request.
@Suite struct FaultBodyTests {
    static let requests: [FaultRequest] = {
        do {
            return [
                try FaultRequest(kind: .partition),
                try FaultRequest(kind: .partition, peers: [3, 2], durationSeconds: 4),
                try FaultRequest(kind: .loss(probability: 0.3), peers: [2]),
                try FaultRequest(kind: .duplicate(probability: 1), durationSeconds: 0.25),
                try FaultRequest(
                    kind: .delay(milliseconds: 50, jitterMilliseconds: 40, distribution: .exponential), peers: [1]),
                try FaultRequest(kind: .delay(milliseconds: 0, jitterMilliseconds: 0, distribution: .constant)),
                try FaultRequest(kind: .clockSkew(milliseconds: -2500), durationSeconds: 31_536_000),
            ]
        } catch {
            return []
        }
    }()

    @Test("jsonText reads back to the same request", arguments: requests)
    func roundTrip(_ request: FaultRequest) throws {
        #expect(try FaultRequest.parse(Array(request.jsonText.utf8)) == request, "\(request.jsonText)")
    }

    @Test("the text names the kind first and leaves out what the request does not set")
    func text() throws {
        #expect(try FaultRequest(kind: .partition).jsonText == #"{"kind":"partition"}"#)
        #expect(
            try FaultRequest(kind: .loss(probability: 0.5), peers: [2, 3], durationSeconds: 1.5).jsonText
                == #"{"kind":"loss","peers":[2,3],"duration_s":1.5,"probability":0.5}"#)
    }

    @Test("a parsed value and its text give the same request")
    func valueAndBytes() throws {
        let value = JSONValue.object([
            .init("kind", .string("delay")), .init("ms", .number(20)), .init("jitter_ms", .number(5)),
        ])
        let request = try FaultRequest.parse(value)
        #expect(request.kind == .delay(milliseconds: 20, jitterMilliseconds: 5, distribution: .uniform))
        #expect(try FaultRequest.parse(Array(#"{"kind":"delay","ms":20,"jitter_ms":5}"#.utf8)) == request)
    }

    @Test(
        "an error names the field apart from the problem",
        arguments: [
            (#"{"probability":0.5}"#, "kind"), (#"{"kind":"loss","probability":1.5}"#, "probability"),
            (#"{"kind":"partition","colour":1}"#, "colour"), (#"{"kind":"partition","ms":1}"#, "ms"),
            (#"{"kind":"partition","peers":[0]}"#, "peers"), (#"{"kind":"partition","duration_s":-1}"#, "duration_s"),
        ])
    func namesTheField(body: String, field: String) {
        let error = #expect(throws: FaultBodyError.self) { try FaultRequest.parse(Array(body.utf8)) }
        #expect(error?.field == field)
        #expect(error?.message.hasPrefix("\(field): ") == true, "\(error?.message ?? "")")
    }

    @Test("text that is not a JSON object names no field")
    func notAnObject() {
        for body in ["{", "[1]", "\"loss\""] {
            let error = #expect(throws: FaultBodyError.self) { try FaultRequest.parse(Array(body.utf8)) }
            #expect(error?.field == nil)
            #expect(error?.message == error?.problem)
        }
    }
}
