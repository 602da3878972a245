import Foundation
import Testing

@testable import EventLog
@testable import JSONText
@testable import LamportCore
@testable import MicroHTTP
@testable import Settings
@testable import VMRuntime

/// The control plane's routes called directly through `handle`: no socket, no process.
@Suite struct ControlPlaneRouteTests {
    /// The config changes handed to the VM, recorded by the fake `applyChange`.
    final class AppliedChanges: @unchecked Sendable {
        private let lock = NSLock()
        private var changes: [ConfigChange] = []
        private var tuning: VMTuning

        init(_ tuning: VMTuning) {
            self.tuning = tuning
        }

        var all: [ConfigChange] {
            lock.withLock { changes }
        }

        /// Records `change` and applies it to the tuning, as the VM's loop would.
        func apply(_ change: ConfigChange) -> VMTuning {
            lock.withLock {
                changes.append(change)
                if let rate = change.tickRate { tuning.tickRate = rate }
                if let maxAction = change.maxAction { tuning.maxAction = maxAction }
                if let paused = change.paused { tuning.paused = paused }
                return tuning
            }
        }
    }

    /// A control plane for VM 2 of 3 (it dials VM 1), with its snapshot board and recorded changes.
    struct Fixture {
        let plane: ControlPlane
        let board: SnapshotBoard
        let applied: AppliedChanges

        init(token: String? = nil, stopped: Bool = false, recentLog: RecentLog? = nil) throws {
            var values = ["VM_ID": "2", "PORT": "5002", "PEERS": #"{"1": 5001}"#, "TICK_RATE": "4", "SEED": "9"]
            values["CONTROL_TOKEN"] = token
            let settings = try VMSettings.resolve(values, randomSeed: 1)
            let tuning = VMTuning(tickRate: settings.tickRate, maxAction: settings.maxAction)
            var snapshot = VMSnapshot(vmID: 2, totalVMs: 3, tuning: tuning, startedAt: 0)
            snapshot.clock = 17
            snapshot.queueLength = 2
            snapshot.internalEvents = 5
            snapshot.sendEvents = 4
            snapshot.receiveEvents = 3
            snapshot.peers = [
                PeerStatus(id: 1, address: "127.0.0.1:5001", connected: true, sent: 4, received: 3, dropped: 0),
                PeerStatus(id: 3, address: nil, connected: false, sent: 0, received: 0, dropped: 1),
            ]
            board = SnapshotBoard(snapshot)
            let applied = AppliedChanges(tuning)
            self.applied = applied
            plane = ControlPlane(
                settings: settings, board: board,
                recentLog: recentLog ?? RecentLog(path: "/nonexistent/vm2.jsonl", fileSize: 0, lastSeq: 0),
                metrics: VMMetrics(),
                applyChange: { change in stopped ? nil : applied.apply(change) })
        }

        func handle(
            _ method: String, _ path: String, query: [String: String] = [:], headers: [String: String] = [:],
            body: String = ""
        ) -> HTTPResponse {
            plane.handle(
                HTTPRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8)))
        }

        func patch(_ body: String, headers: [String: String] = ["content-type": "application/json"]) -> HTTPResponse {
            handle("PATCH", "/config", headers: headers, body: body)
        }

        /// Sets the VM's state and whether every peer is connected.
        func publish(state: VMState, allConnected: Bool) {
            var snapshot = board.latest
            snapshot.state = state
            for index in snapshot.peers.indices { snapshot.peers[index].connected = allConnected }
            board.publish(snapshot)
        }
    }

    /// The log line of `seq` as `GET /log` returns it (no newline).
    static func logLine(_ seq: Int) -> String {
        #"{"seq":\#(seq),"vm":2,"type":"internal","clock":\#(seq),"time":"2026-11-26T16:02:11.\#(100_000 + seq)Z","queue":0}"#
    }

    /// A recent log holding lines 1...`count` in memory (no file behind it).
    static func recentLog(lines count: Int) -> RecentLog {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        for seq in 1...count {
            starts.append(bytes.count)
            bytes.append(contentsOf: (logLine(seq) + "\n").utf8)
        }
        let log = RecentLog(path: "/nonexistent/vm2.jsonl", fileSize: 0, lastSeq: 0)
        log.record(bytes: bytes[...], lineStarts: starts, firstSeq: 1, offset: 0)
        return log
    }

    /// The body as a JSON object.
    static func object(_ response: HTTPResponse) throws -> JSONValue {
        let value = try JSONBodyParser().parse(response.body)
        guard case .object = value else {
            Issue.record("not a JSON object: \(String(decoding: response.body, as: UTF8.self))")
            return .object([])
        }
        return value
    }

    /// The `error` text of an error response (which must be `{"error": "..."}` as JSON).
    static func errorText(_ response: HTTPResponse) throws -> String {
        let object = try object(response)
        #expect(response.headers.contains(HTTPHeader("Content-Type", "application/json")))
        guard case .object(let members) = object, members.count == 1, case .string(let text) = object["error"] else {
            Issue.record("not an error body: \(String(decoding: response.body, as: UTF8.self))")
            return ""
        }
        return text
    }

    static func header(_ name: String, of response: HTTPResponse) -> String? {
        response.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    // MARK: Reads

    @Test("GET /status: the snapshot's figures")
    func status() throws {
        let fixture = try Fixture()
        let response = fixture.handle("GET", "/status")
        #expect(response.status == 200)
        #expect(Self.header("Content-Type", of: response) == "application/json")
        let status = try Self.object(response)
        #expect(status["vm_id"] == .number(2))
        #expect(status["state"] == .string("waiting_for_peers"))
        #expect(status["clock"] == .number(17))
        #expect(status["queue_length"] == .number(2))
        #expect(status["tick_rate"] == .number(4))
        #expect(status["total_vms"] == .number(3))
        #expect(
            status["events"]
                == .object([.init("internal", .number(5)), .init("send", .number(4)), .init("receive", .number(3))]))
        guard case .array(let peers) = status["peers"] else {
            Issue.record("no peers array")
            return
        }
        #expect(peers.map { $0["id"] } == [.number(1), .number(3)])
        #expect(peers.map { $0["connected"] } == [.bool(true), .bool(false)])
        #expect(peers.map { $0["address"] } == [.string("127.0.0.1:5001"), .null])
        guard case .number = status["uptime_s"] else {
            Issue.record("no uptime_s")
            return
        }
    }

    @Test("GET /clock: vm_id and clock only, and it follows the board")
    func clock() throws {
        let fixture = try Fixture()
        #expect(fixture.handle("GET", "/clock").status == 200)
        #expect(String(decoding: fixture.handle("GET", "/clock").body, as: UTF8.self) == #"{"vm_id":2,"clock":17}"#)
        var snapshot = fixture.board.latest
        snapshot.clock = 18
        fixture.board.publish(snapshot)
        #expect(try Self.object(fixture.handle("GET", "/clock"))["clock"] == .number(18))
    }

    @Test("GET /config: the live settings")
    func config() throws {
        let fixture = try Fixture()
        let response = fixture.handle("GET", "/config")
        #expect(response.status == 200)
        let config = try Self.object(response)
        #expect(config["vm_id"] == .number(2))
        #expect(config["tick_rate"] == .number(4))
        #expect(config["max_action"] == .number(10))
        #expect(config["paused"] == .bool(false))
        #expect(config["total_vms"] == .number(3))
        #expect(config["seed"] == .number(9))
        #expect(config["port"] == .number(5002))
        #expect(config["peers"] == .object([.init("1", .string("127.0.0.1:5001"))]))
        #expect(fixture.applied.all.isEmpty)
    }

    @Test(
        "tick_rate in /config and /status: an integer when whole, else a fraction, \"max\" unthrottled, as the log has it",
        arguments: [
            (TickRate.perSecond(4), "4"), (.perSecond(2.5), "2.5"), (.perSecond(0.1), "0.1"),
            (.perSecond(1e15), "1000000000000000.0"), (.unthrottled, #""max""#),
        ])
    func tickRateText(rate: TickRate, text: String) throws {
        var logged: [UInt8] = []
        EventLineEncoder.appendValue(rate.logValue, to: &logged)
        #expect(String(decoding: logged, as: UTF8.self) == text)
        let fixture = try Fixture()
        var snapshot = fixture.board.latest
        snapshot.tuning.tickRate = rate
        fixture.board.publish(snapshot)
        for path in ["/config", "/status"] {
            let body = String(decoding: fixture.handle("GET", path).body, as: UTF8.self)
            #expect(body.contains(#","tick_rate":\#(text),"#), "\(path): \(body)")
        }
    }

    @Test("GET /log: pages of the log's lines as written, oldest first, and next to follow on")
    func logPages() throws {
        let fixture = try Fixture(recentLog: Self.recentLog(lines: 5))
        func page(_ query: [String: String]) -> String {
            let response = fixture.handle("GET", "/log", query: query)
            #expect(response.status == 200, "\(query)")
            #expect(Self.header("Content-Type", of: response) == "application/json")
            return String(decoding: response.body, as: UTF8.self)
        }
        let all = (1...5).map(Self.logLine).joined(separator: ",")
        #expect(page([:]) == #"{"events":[\#(all)],"next":5}"#)
        #expect(page(["after": "0", "limit": "100"]) == #"{"events":[\#(all)],"next":5}"#)
        #expect(
            page(["after": "2", "limit": "2"]) == #"{"events":[\#(Self.logLine(3)),\#(Self.logLine(4))],"next":4}"#)
        #expect(page(["limit": "1"]) == #"{"events":[\#(Self.logLine(1))],"next":1}"#)
        #expect(page(["after": "4", "limit": "1000"]) == #"{"events":[\#(Self.logLine(5))],"next":5}"#)
        // Nothing after `after`: an empty page whose `next` is `after`, to poll again with.
        #expect(page(["after": "5"]) == #"{"events":[],"next":5}"#)
        #expect(page(["after": "9"]) == #"{"events":[],"next":9}"#)
        #expect(page(["after": String(Int.max)]) == #"{"events":[],"next":\#(Int.max)}"#)
    }

    @Test("GET /log of a VM that has written nothing: an empty page, next 0")
    func logEmpty() throws {
        let fixture = try Fixture()
        let response = fixture.handle("GET", "/log")
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"events":[],"next":0}"#)
    }

    @Test(
        "GET /log with a bad after or limit: 400 with an error naming the parameter and the value",
        arguments: [
            ("after", "-1"), ("after", "x"), ("after", "1.5"), ("after", ""), ("after", "99999999999999999999"),
            ("limit", "0"), ("limit", "1001"), ("limit", "-3"), ("limit", "ten"), ("limit", ""),
        ])
    func logBadQuery(name: String, value: String) throws {
        let fixture = try Fixture(recentLog: Self.recentLog(lines: 3))
        let response = fixture.handle("GET", "/log", query: [name: value])
        #expect(response.status == 400)
        let message = try Self.errorText(response)
        #expect(message.hasPrefix("\(name): "), "\(message)")
        #expect(message.hasSuffix("got '\(value)'"), "\(message)")
        if name == "limit" { #expect(message.contains("1-\(ControlPlane.maximumLogLimit)"), "\(message)") }
    }

    @Test("GET /metrics: Prometheus text exposition, every family vmserver_ with HELP and TYPE")
    func metrics() throws {
        let fixture = try Fixture()
        let response = fixture.handle("GET", "/metrics")
        #expect(response.status == 200)
        #expect(Self.header("Content-Type", of: response) == "text/plain; version=0.0.4; charset=utf-8")
        let text = String(decoding: response.body, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        // Sample lines: name{labels} value, every name ours.
        var samples: [String: Double] = [:]
        for line in lines where !line.hasPrefix("#") {
            #expect(line.hasPrefix(VMMetrics.prefix), "\(line)")
            let parts = line.split(separator: " ")
            #expect(parts.count == 2, "\(line)")
            samples[String(parts[0])] = Double(parts.last ?? "")
        }
        let families = [
            "info", "clock", "queue_length", "last_seq", "tick_rate", "measured_tick_rate", "max_action", "paused",
            "ready", "uptime_seconds", "peer_connected", "events_total", "messages_sent_total",
            "messages_received_total", "messages_dropped_total", "tick_lateness_seconds", "clock_jump",
        ]
        for family in families {
            #expect(lines.contains { $0.hasPrefix("# HELP vmserver_\(family) ") }, "no HELP for \(family)")
            #expect(lines.contains { $0.hasPrefix("# TYPE vmserver_\(family) ") }, "no TYPE for \(family)")
        }
        for line in lines where line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
            #expect(line.dropFirst(7).hasPrefix(VMMetrics.prefix), "\(line)")
        }
        // The figures come from the published snapshot.
        #expect(samples["vmserver_clock"] == 17)
        #expect(samples["vmserver_queue_length"] == 2)
        #expect(samples["vmserver_tick_rate"] == 4)
        #expect(samples["vmserver_max_action"] == 10)
        #expect(samples["vmserver_ready"] == 0)
        #expect(samples[#"vmserver_events_total{type="internal"}"#] == 5)
        #expect(samples[#"vmserver_events_total{type="send"}"#] == 4)
        #expect(samples[#"vmserver_events_total{type="receive"}"#] == 3)
        #expect(samples[#"vmserver_peer_connected{peer="1"}"#] == 1)
        #expect(samples[#"vmserver_peer_connected{peer="3"}"#] == 0)
        #expect(samples[#"vmserver_messages_dropped_total{peer="3"}"#] == 1)
    }

    @Test("GET /metrics of an unthrottled VM: vmserver_tick_rate is positive infinity")
    func metricsUnthrottled() throws {
        let fixture = try Fixture()
        var snapshot = fixture.board.latest
        snapshot.tuning.tickRate = .unthrottled
        fixture.board.publish(snapshot)
        let text = String(decoding: fixture.handle("GET", "/metrics").body, as: UTF8.self)
        let sample = text.split(separator: "\n").first { $0.hasPrefix("vmserver_tick_rate ") }
        // swift-prometheus writes it `inf`, which Prometheus parses as +Inf too.
        #expect(sample.flatMap { Double($0.split(separator: " ")[1]) } == .infinity, "\(text)")
    }

    @Test("GET /livez: 200 whatever the state")
    func livez() throws {
        let fixture = try Fixture()
        for state in [VMState.waitingForPeers, .running, .paused, .stopping] {
            fixture.publish(state: state, allConnected: false)
            let response = fixture.handle("GET", "/livez")
            #expect(response.status == 200)
            #expect(try Self.object(response)["status"] == .string("alive"))
        }
    }

    @Test("GET /readyz: 200 only when running with every peer connected, 503 otherwise")
    func readyz() throws {
        let fixture = try Fixture()
        let cases: [(VMState, Bool, Int)] = [
            (.waitingForPeers, false, 503), (.waitingForPeers, true, 503), (.running, false, 503),
            (.running, true, 200), (.paused, true, 503), (.stopping, true, 503),
        ]
        for (state, allConnected, expected) in cases {
            fixture.publish(state: state, allConnected: allConnected)
            let response = fixture.handle("GET", "/readyz")
            #expect(response.status == expected, "\(state) connected: \(allConnected)")
            let body = try Self.object(response)
            #expect(body["ready"] == .bool(expected == 200))
            #expect(body["state"] == .string(state.rawValue))
            #expect(body["connected_peers"] == .number(allConnected ? 2 : 0))
            #expect(body["total_peers"] == .number(2))
        }
    }

    // MARK: Errors

    @Test("an unknown path: 404 with a JSON error naming it")
    func unknownPath() throws {
        let fixture = try Fixture()
        let response = fixture.handle("GET", "/nope")
        #expect(response.status == 404)
        #expect(try Self.errorText(response).contains("/nope"))
    }

    @Test("a method the path does not answer: 405 with an Allow header")
    func methodNotAllowed() throws {
        let fixture = try Fixture()
        let post = fixture.handle("POST", "/status")
        #expect(post.status == 405)
        #expect(Self.header("Allow", of: post) == "GET")
        #expect(try Self.errorText(post).contains("POST"))
        let delete = fixture.handle("DELETE", "/config")
        #expect(delete.status == 405)
        #expect(Self.header("Allow", of: delete) == "GET, PUT, PATCH")
        #expect(fixture.applied.all.isEmpty)
    }

    @Test("PATCH /config without a JSON content type: 415")
    func notJSON() throws {
        let fixture = try Fixture()
        #expect(fixture.patch(#"{"paused": true}"#, headers: ["content-type": "text/plain"]).status == 415)
        #expect(fixture.patch(#"{"paused": true}"#, headers: [:]).status == 415)
        #expect(try Self.errorText(fixture.patch("{}", headers: [:])).contains("application/json"))
        #expect(fixture.applied.all.isEmpty)
    }

    @Test("a bad PATCH /config: 400 naming the field, and nothing applied")
    func badChange() throws {
        let fixture = try Fixture()
        for (body, field) in [
            (#"{"tick_rate": 0}"#, "tick_rate"), (#"{"max_action": 2}"#, "max_action"),
            (#"{"paused": "yes"}"#, "paused"), (#"{"colour": 1}"#, "colour"),
        ] {
            let response = fixture.patch(body)
            #expect(response.status == 400, "\(body)")
            #expect(try Self.errorText(response).contains(field), "\(body)")
        }
        #expect(fixture.patch("[1]").status == 400)
        #expect(fixture.applied.all.isEmpty)
    }

    @Test("a body over the limit: 413")
    func tooLarge() throws {
        let fixture = try Fixture()
        let response = fixture.plane.handle(
            HTTPRequest(
                method: "PUT", path: "/config", headers: ["content-type": "application/json"], bodyTooLarge: true))
        #expect(response.status == 413)
        #expect(fixture.applied.all.isEmpty)
    }

    // MARK: Changes

    @Test("a good PATCH /config hands the parsed change to applyChange and answers the new config")
    func goodChange() throws {
        let fixture = try Fixture()
        let response = fixture.patch(
            #"{"tick_rate": 2.5, "paused": true}"#, headers: ["content-type": "application/json; charset=utf-8"])
        #expect(response.status == 200)
        #expect(fixture.applied.all == [ConfigChange(tickRate: .perSecond(2.5), paused: true)])
        let config = try Self.object(response)
        #expect(config["tick_rate"] == .number(2.5))
        #expect(config["paused"] == .bool(true))
        #expect(config["max_action"] == .number(10))
        let put = fixture.handle(
            "PUT", "/config", headers: ["content-type": "application/json"],
            body: #"{"tick_rate": "MAX", "max_action": 12}"#)
        #expect(put.status == 200)
        #expect(fixture.applied.all.last == ConfigChange(tickRate: .unthrottled, maxAction: 12))
    }

    @Test("a change once the VM is stopping: 503")
    func changeWhileStopping() throws {
        let fixture = try Fixture(stopped: true)
        let response = fixture.patch(#"{"paused": true}"#)
        #expect(response.status == 503)
        _ = try Self.errorText(response)
    }

    @Test("with CONTROL_TOKEN: writes need the token (401 otherwise), reads do not")
    func token() throws {
        let fixture = try Fixture(token: "s3cret")
        let json = ["content-type": "application/json"]
        let missing = fixture.patch(#"{"paused": true}"#, headers: json)
        #expect(missing.status == 401)
        #expect(Self.header("WWW-Authenticate", of: missing) == "Bearer")
        #expect(try Self.errorText(missing).contains("CONTROL_TOKEN"))
        let wrong = fixture.patch(#"{"paused": true}"#, headers: json.merging(["authorization": "Bearer nope"]) { $1 })
        #expect(wrong.status == 401)
        #expect(fixture.applied.all.isEmpty)
        let right = fixture.patch(
            #"{"paused": true}"#, headers: json.merging(["authorization": "Bearer s3cret"]) { $1 })
        #expect(right.status == 200)
        #expect(fixture.applied.all == [ConfigChange(paused: true)])
        #expect(fixture.handle("GET", "/config").status == 200)
        #expect(fixture.handle("GET", "/status").status == 200)
        #expect(fixture.handle("GET", "/clock").status == 200)
    }
}
