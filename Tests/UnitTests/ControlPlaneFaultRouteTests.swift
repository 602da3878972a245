import Foundation
import Testing

@testable import EventLog
@testable import JSONText
@testable import LamportCore
@testable import MicroHTTP
@testable import Settings
@testable import VMRuntime

/// `/faults` through `ControlPlane.handle`, with a fake VM loop holding a real `FaultSet`.
@Suite struct ControlPlaneFaultRouteTests {
    /// What the VM's loop would do with the commands: a `FaultSet`, published to the board.
    final class FakeLoop: @unchecked Sendable {
        private let lock = NSLock()
        private var faults = FaultSet(vmID: 2, peers: [1, 3], random: FaultRandom(seed: 9, vmID: 2))
        private(set) var commands: [FaultCommand] = []
        let board: SnapshotBoard
        let stopped: Bool
        var now: Int64 = 1_780_000_000_000_000

        init(board: SnapshotBoard, stopped: Bool) {
            self.board = board
            self.stopped = stopped
        }

        func apply(_ command: FaultCommand) -> FaultReply? {
            lock.withLock { () -> FaultReply? in
                commands.append(command)
                guard !stopped else { return nil }
                let reply: FaultReply
                switch command {
                case .add(let request):
                    do { reply = .added(try faults.add(request, at: now)) } catch {
                        return .rejected(error as? FaultParameterError ?? FaultParameterError(field: "?", problem: "?"))
                    }
                case .remove(let id):
                    reply = faults.remove(id: id, at: now) == nil ? .unknownID : .removed
                case .removeAll:
                    _ = faults.removeAll(at: now)
                    reply = .removed
                }
                var snapshot = board.latest
                snapshot.faults = faults.faults
                board.publish(snapshot)
                return reply
            }
        }
    }

    struct Fixture {
        let plane: ControlPlane
        let loop: FakeLoop

        init(token: String? = nil, stopped: Bool = false) throws {
            var values = ["VM_ID": "2", "PORT": "5002", "PEERS": #"{"1": 5001}"#, "SEED": "9"]
            values["CONTROL_TOKEN"] = token
            let settings = try VMSettings.resolve(values, randomSeed: 1)
            let tuning = VMTuning(tickRate: settings.tickRate, maxAction: settings.maxAction)
            let board = SnapshotBoard(VMSnapshot(vmID: 2, totalVMs: 3, tuning: tuning, startedAt: 0))
            let loop = FakeLoop(board: board, stopped: stopped)
            self.loop = loop
            plane = ControlPlane(
                settings: settings, board: board,
                recentLog: RecentLog(path: "/nonexistent/vm2.jsonl", fileSize: 0, lastSeq: 0), metrics: VMMetrics(),
                applyChange: { _ in nil }, applyFault: { loop.apply($0) })
        }

        func handle(
            _ method: String, _ path: String, body: String = "", headers: [String: String]? = nil
        )
            -> HTTPResponse
        {
            plane.handle(
                HTTPRequest(
                    method: method, path: path, query: [:], headers: headers ?? ["content-type": "application/json"],
                    body: Array(body.utf8)))
        }
    }

    static func object(_ response: HTTPResponse) throws -> JSONValue {
        try JSONBodyParser().parse(response.body)
    }

    static func error(_ response: HTTPResponse) throws -> String {
        guard case .string(let text)? = try object(response)["error"] else {
            Issue.record("not an error body: \(String(decoding: response.body, as: UTF8.self))")
            return ""
        }
        return text
    }

    @Test("POST /faults starts a fault: 201 with id, kind, peers, parameters, started, ends")
    func postAnswersTheFault() throws {
        let fixture = try Fixture()
        let response = fixture.handle(
            "POST", "/faults", body: #"{"kind":"delay","ms":100,"jitter_ms":20,"peers":[3],"duration_s":2}"#)
        #expect(response.status == 201)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"{"id":1,"kind":"delay","peers":[3],"ms":100,"jitter_ms":20,"distribution":"uniform","#
                + #""started":"2026-05-28T20:26:40.000000Z","ends":"2026-05-28T20:26:42.000000Z"}"#)
        let loss = try Self.object(fixture.handle("POST", "/faults", body: #"{"kind":"loss","probability":0.5}"#))
        #expect(loss["id"] == .number(2))
        #expect(loss["peers"] == .array([.number(1), .number(3)]))
        #expect(loss["probability"] == .number(0.5))
        #expect(loss["ends"] == .null)
        let skew = try Self.object(fixture.handle("POST", "/faults", body: #"{"kind":"clock_skew","ms":-250}"#))
        #expect(skew["peers"] == .array([]))
        #expect(skew["ms"] == .number(-250))
        let partition = try Self.object(fixture.handle("POST", "/faults", body: #"{"kind":"partition","peers":[1]}"#))
        #expect(partition["kind"] == .string("partition"))
    }

    @Test("GET /faults lists the active faults in id order; DELETE ends one, then all")
    func listAndDelete() throws {
        let fixture = try Fixture()
        #expect(String(decoding: fixture.handle("GET", "/faults").body, as: UTF8.self) == #"{"faults":[]}"#)
        for body in [
            #"{"kind":"partition"}"#, #"{"kind":"duplicate","probability":1}"#, #"{"kind":"loss","probability":0}"#,
        ] {
            #expect(fixture.handle("POST", "/faults", body: body).status == 201)
        }
        guard case .array(let listed)? = try Self.object(fixture.handle("GET", "/faults"))["faults"] else {
            Issue.record("no faults array")
            return
        }
        #expect(listed.map { $0["id"] } == [.number(1), .number(2), .number(3)])
        #expect(fixture.handle("DELETE", "/faults/2").status == 204)
        #expect(fixture.handle("DELETE", "/faults/2").status == 404)
        #expect(fixture.handle("DELETE", "/faults/99").status == 404)
        guard case .array(let left)? = try Self.object(fixture.handle("GET", "/faults"))["faults"] else { return }
        #expect(left.map { $0["id"] } == [.number(1), .number(3)])
        #expect(fixture.handle("DELETE", "/faults").status == 204)
        #expect(String(decoding: fixture.handle("GET", "/faults").body, as: UTF8.self) == #"{"faults":[]}"#)
        #expect(fixture.handle("DELETE", "/faults").status == 204)
    }

    @Test(
        "a bad body is 400 naming the field",
        arguments: [
            (#"{"probability":0.5}"#, "kind"),
            (#"{"kind":"flood"}"#, "kind"),
            (#"{"kind":"loss"}"#, "probability"),
            (#"{"kind":"loss","probability":1.5}"#, "probability"),
            (#"{"kind":"loss","probability":"half"}"#, "probability"),
            (#"{"kind":"delay"}"#, "ms"),
            (#"{"kind":"delay","ms":-1}"#, "ms"),
            (#"{"kind":"delay","ms":1.5}"#, "ms"),
            (#"{"kind":"delay","ms":10,"jitter_ms":5,"distribution":"constant"}"#, "jitter_ms"),
            (#"{"kind":"delay","ms":10,"distribution":"normal"}"#, "distribution"),
            (#"{"kind":"partition","peers":[]}"#, "peers"),
            (#"{"kind":"partition","peers":[7]}"#, "peers"),
            (#"{"kind":"partition","peers":"1"}"#, "peers"),
            (#"{"kind":"clock_skew","ms":5,"peers":[1]}"#, "peers"),
            (#"{"kind":"partition","duration_s":0}"#, "duration_s"),
            (#"{"kind":"partition","duration_s":"1"}"#, "duration_s"),
            (#"{"kind":"partition","probability":1}"#, "probability"),
            (#"{"kind":"partition","colour":1}"#, "colour"),
        ])
    func badBodies(body: String, field: String) throws {
        let fixture = try Fixture()
        let response = fixture.handle("POST", "/faults", body: body)
        #expect(response.status == 400)
        let text = try Self.error(response)
        #expect(text.hasPrefix(field) || text.contains("'\(field)'"), "\(text)")
        #expect(String(decoding: fixture.handle("GET", "/faults").body, as: UTF8.self) == #"{"faults":[]}"#)
    }

    @Test("not JSON is 400, no content type is 415, a non-object 400")
    func badRequests() throws {
        let fixture = try Fixture()
        #expect(fixture.handle("POST", "/faults", body: "{").status == 400)
        #expect(fixture.handle("POST", "/faults", body: "[]").status == 400)
        #expect(fixture.handle("POST", "/faults", body: #"{"kind":"partition"}"#, headers: [:]).status == 415)
        #expect(fixture.loop.commands.isEmpty)
    }

    @Test("paths and methods: /faults/x is 404, GET /faults/1 is 405 allowing DELETE, PUT /faults 405")
    func pathsAndMethods() throws {
        let fixture = try Fixture()
        #expect(fixture.handle("DELETE", "/faults/x").status == 404)
        #expect(fixture.handle("DELETE", "/faults/").status == 404)
        #expect(fixture.handle("DELETE", "/faults/1/2").status == 404)
        let get = fixture.handle("GET", "/faults/1")
        #expect(get.status == 405)
        #expect(get.headers.contains(HTTPHeader("Allow", "DELETE")))
        #expect(fixture.handle("PUT", "/faults").status == 405)
    }

    @Test("with CONTROL_TOKEN, writes need it and reads do not")
    func token() throws {
        let fixture = try Fixture(token: "s3cret")
        #expect(fixture.handle("POST", "/faults", body: #"{"kind":"partition"}"#).status == 401)
        #expect(fixture.handle("DELETE", "/faults").status == 401)
        #expect(fixture.handle("DELETE", "/faults/1").status == 401)
        #expect(fixture.handle("GET", "/faults").status == 200)
        #expect(fixture.loop.commands.isEmpty)
        let authorised = fixture.handle(
            "POST", "/faults", body: #"{"kind":"partition"}"#,
            headers: ["content-type": "application/json", "authorization": "Bearer s3cret"])
        #expect(authorised.status == 201)
    }

    @Test("a stopping VM answers 503 to writes")
    func stopping() throws {
        let fixture = try Fixture(stopped: true)
        #expect(fixture.handle("POST", "/faults", body: #"{"kind":"partition"}"#).status == 503)
        #expect(fixture.handle("DELETE", "/faults").status == 503)
        #expect(fixture.handle("DELETE", "/faults/1").status == 503)
    }
}
