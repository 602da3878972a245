import Foundation
import Testing

@testable import Orchestration

/// CONTROL_TOKEN of VM 3 in `ControlPlaneTests.Config`; its "é" is one scalar (U+00E9, NFC).
private let controlToken = "s3cret-t\u{E9}ken"

/// `{"x":[...]}` with 65 arrays each nested 500 deep: 64 KiB that once held the control plane's
/// thread for 35 s.
private let nestedArrayBomb: String = {
    let one = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
    return #"{"x":["# + Array(repeating: one, count: 65).joined(separator: ",") + "]}"
}()

extension ControlPlaneTests {
    /// Changing a running VM through PUT/PATCH /config; VM 3 has a CONTROL_TOKEN.
    @Suite(.controlCluster(rates: [20, 50, 100], tokens: [3: controlToken]))
    struct Config {
        static let token = controlToken

        /// The `config` lines of VM `vm`'s log file after line `after`.
        static func configLines(_ cluster: ControlCluster, vm: Int, after: Int) -> [[String: Any]] {
            logFileObjects(cluster.logPath(vm)).dropFirst(after).filter { $0["type"] as? String == "config" }
        }

        /// Waits for a `config` line after `after` whose fields include `fields`.
        static func waitForConfigLine(
            _ cluster: ControlCluster, vm: Int, after: Int, _ matches: @escaping ([String: Any]) -> Bool
        ) async -> Bool {
            await poll(timeout: .seconds(10)) { configLines(cluster, vm: vm, after: after).contains(where: matches) }
        }

        /// Waits until /status's measured_tick_rate is within 5% of `rate`.
        static func waitForMeasuredRate(_ control: ControlClient, _ rate: Double) async -> Double? {
            var last: Double?
            let reached = await poll(timeout: .seconds(30)) {
                last = try? control.status().measuredTickRate
                return abs((last ?? 0) - rate) <= 0.05 * rate
            }
            return reached ? last : nil
        }

        @Test("GET /config answers the live settings")
        func getConfig() throws {
            let cluster = try ControlCluster.require()
            let reply = try cluster.control(2).get("/config")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
            let config = try reply.decode(ConfigReply.self)
            #expect(config.vmId == 2)
            #expect(config.tickRate == .number(50))
            #expect(config.maxAction == 10)
            #expect(config.paused == false)
            #expect(config.totalVms == 3)
            #expect(config.seed == cluster.layout.seed)
            #expect(config.port == cluster.layout.port(2))
            #expect(config.peers.keys.sorted() == ["1"])
            #expect(config.peers["1"]?.hasSuffix(":\(cluster.layout.port(1))") == true, "\(config.peers)")
            #expect(config.logDir == cluster.layout.logDirectory)
        }

        @Test("PATCH /config tick_rate: new config answered, config line logged, measured rate follows")
        func patchTickRate() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(1)
            defer { _ = try? control.change(#"{"tick_rate": 20}"#) }
            let before = try control.status().lastSeq

            let reply = try control.change(#"{"tick_rate": 40}"#)
            try #require(reply.status == 200, "\(reply)")
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
            let config = try reply.decode(ConfigReply.self)
            #expect(config.tickRate == .number(40))
            #expect(config.maxAction == 10 && config.paused == false)
            #expect(try control.config() == config)
            #expect(try control.status().tickRate == .number(40))
            let logged = await Self.waitForConfigLine(cluster, vm: 1, after: before) { $0["tick_rate"] as? Int == 40 }
            #expect(logged, "a config line with tick_rate 40")
            let measured = await Self.waitForMeasuredRate(control, 40)
            #expect(measured != nil, "measured_tick_rate should approach 40: \(String(describing: measured))")
        }

        @Test("PUT /config works like PATCH")
        func putTickRate() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(2)
            defer { _ = try? control.change(#"{"tick_rate": 50}"#, method: "PUT") }
            let before = try control.status().lastSeq

            let reply = try control.change(#"{"tick_rate": 80}"#, method: "PUT")
            try #require(reply.status == 200, "\(reply)")
            #expect(try reply.decode(ConfigReply.self).tickRate == .number(80))
            #expect(try control.config().tickRate == .number(80))
            let logged = await Self.waitForConfigLine(cluster, vm: 2, after: before) { $0["tick_rate"] as? Int == 80 }
            #expect(logged, "a config line with tick_rate 80")
            let measured = await Self.waitForMeasuredRate(control, 80)
            #expect(measured != nil, "measured_tick_rate should approach 80")
        }

        @Test("tick_rate accepts 1 and fractions such as 2.5")
        func unusualRates() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(1)
            defer { _ = try? control.change(#"{"tick_rate": 20}"#) }
            let before = try control.status().lastSeq
            let one = try control.change(#"{"tick_rate": 1}"#)
            #expect(one.status == 200, "\(one)")
            #expect((try? one.decode(ConfigReply.self).tickRate) == .number(1))
            let fraction = try control.change(#"{"tick_rate": 2.5}"#)
            #expect(fraction.status == 200, "\(fraction)")
            #expect((try? fraction.decode(ConfigReply.self).tickRate) == .number(2.5))
            let logged = await Self.waitForConfigLine(cluster, vm: 1, after: before) {
                ($0["tick_rate"] as? Double) == 2.5
            }
            #expect(logged, "a config line with tick_rate 2.5")
        }

        @Test("paused: true stops the clock and readiness, queues fill; paused: false resumes ticking")
        func pauseAndResume() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(2)
            defer { _ = try? control.change(#"{"paused": false}"#) }
            let before = try control.status().lastSeq

            let reply = try control.change(#"{"paused": true}"#)
            try #require(reply.status == 200, "\(reply)")
            #expect(try reply.decode(ConfigReply.self).paused == true)
            let paused = await eventually { () -> StatusReply? in
                let status = try control.status()
                return status.state == "paused" ? status : nil
            }
            let status = try #require(paused, "state should become paused")
            #expect(status.paused == true)
            #expect(status.measuredTickRate == 0)
            let logged = await Self.waitForConfigLine(cluster, vm: 2, after: before) { $0["paused"] as? Bool == true }
            #expect(logged, "a config line with paused true")

            let clock = try control.clock()
            try await Task.sleep(for: .milliseconds(600))
            #expect(try control.clock() == clock, "a paused VM's clock stands still")
            let notReady = try control.get("/readyz")
            #expect(notReady.status == 503)
            #expect(try notReady.object()["ready"] as? Bool == false)
            #expect(try notReady.object()["state"] as? String == "paused")
            #expect(try control.get("/livez").status == 200)
            // The peers keep sending: messages queue up while nothing takes them.
            let queued = await poll { ((try? control.status().queueLength) ?? 0) > status.queueLength }
            #expect(queued, "messages should queue up at a paused VM")

            let resume = try control.change(#"{"paused": false}"#)
            try #require(resume.status == 200, "\(resume)")
            #expect(try resume.decode(ConfigReply.self).paused == false)
            let ticking = await poll { ((try? control.clock()) ?? 0) > clock }
            #expect(ticking, "the clock should rise again")
            let ready = await poll { (try? control.get("/readyz"))?.status == 200 }
            #expect(ready, "ready again")
            #expect(try control.status().state == "running")
        }

        @Test("max_action is applied, answered and logged; several fields change in one config line")
        func maxAction() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(1)
            defer { _ = try? control.change(#"{"max_action": 10, "tick_rate": 20}"#) }
            let before = try control.status().lastSeq

            let reply = try control.change(#"{"max_action": 5}"#)
            try #require(reply.status == 200, "\(reply)")
            #expect(try reply.decode(ConfigReply.self).maxAction == 5)
            #expect(try control.status().maxAction == 5)
            #expect(try control.config().maxAction == 5)
            let logged = await Self.waitForConfigLine(cluster, vm: 1, after: before) { $0["max_action"] as? Int == 5 }
            #expect(logged, "a config line with max_action 5")

            let both = try control.change(#"{"max_action": 7, "tick_rate": 30}"#)
            try #require(both.status == 200, "\(both)")
            let config = try both.decode(ConfigReply.self)
            #expect(config.maxAction == 7 && config.tickRate == .number(30))
            let together = await Self.waitForConfigLine(cluster, vm: 1, after: before) {
                $0["max_action"] as? Int == 7 && $0["tick_rate"] as? Int == 30
            }
            #expect(together, "one config line with max_action 7 and tick_rate 30")

            let empty = try control.change("{}")
            #expect(empty.status == 200)
            #expect(try empty.decode(ConfigReply.self) == config, "an empty change changes nothing")
        }

        /// A request the control plane must refuse.
        struct BadRequest: Sendable, CustomTestStringConvertible {
            var label: String
            var method = "PATCH"
            var target = "/config"
            var headers: [String: String] = ["Content-Type": "application/json"]
            var body: String?
            var status: Int
            /// Words the error message must contain.
            var mentions: [String] = []
            var allow: String?

            var testDescription: String { label }
        }

        static let badRequests = [
            BadRequest(label: "GET of an unknown path", method: "GET", target: "/nope", headers: [:], status: 404),
            BadRequest(label: "GET /status/", method: "GET", target: "/status/", headers: [:], status: 404),
            BadRequest(
                label: "GET /status%00x (a NUL must not cut the path)", method: "GET", target: "/status%00x",
                headers: [:], status: 404, mentions: ["/status%00x"]),
            BadRequest(
                label: "GET /clock%00", method: "GET", target: "/clock%00", headers: [:], status: 404,
                mentions: ["/clock%00"]),
            BadRequest(
                label: "PATCH /config%00", target: "/config%00", body: #"{"tick_rate": 3}"#, status: 404,
                mentions: ["/config%00"]),
            BadRequest(
                label: "/log?limit=5%00x", method: "GET", target: "/log?limit=5%00x", status: 400,
                mentions: ["limit", "5%00x"]),
            BadRequest(
                label: "POST /status", method: "POST", target: "/status", body: "{}", status: 405, allow: "GET"),
            BadRequest(label: "DELETE /config", method: "DELETE", headers: [:], status: 405, allow: "GET, PUT, PATCH"),
            BadRequest(label: "PUT /clock", method: "PUT", target: "/clock", body: "{}", status: 405, allow: "GET"),
            BadRequest(
                label: "PATCH without Content-Type", headers: [:], body: #"{"tick_rate": 3}"#, status: 415,
                mentions: ["Content-Type"]),
            BadRequest(
                label: "PATCH as text/plain", headers: ["Content-Type": "text/plain"], body: #"{"tick_rate": 3}"#,
                status: 415, mentions: ["Content-Type"]),
            BadRequest(label: "bad JSON", body: #"{"tick_rate": "#, status: 400, mentions: ["JSON"]),
            BadRequest(label: "a JSON array", body: "[1, 2]", status: 400, mentions: ["JSON object"]),
            BadRequest(
                label: "64 KiB of nested arrays (65 siblings of depth 500)", body: nestedArrayBomb, status: 400,
                mentions: ["x[0][0]", "nested deeper than 16 levels"]),
            BadRequest(
                label: "a duplicate key", body: #"{"paused": false, "paused": true}"#, status: 400,
                mentions: ["duplicate key 'paused'", "offset 18"]),
            BadRequest(
                label: "a trailing comma", body: #"{"paused": false,}"#, status: 400, mentions: ["trailing comma"]),
            BadRequest(
                label: "tick_rate 1e400", body: #"{"tick_rate": 1e400}"#, status: 400,
                mentions: ["tick_rate", "out of range"]),
            BadRequest(label: "a lone surrogate", body: #"{"p\ud800": 1}"#, status: 400, mentions: ["surrogate"]),
            BadRequest(label: "tick_rate 0", body: #"{"tick_rate": 0}"#, status: 400, mentions: ["tick_rate"]),
            BadRequest(label: "tick_rate -2", body: #"{"tick_rate": -2}"#, status: 400, mentions: ["tick_rate"]),
            BadRequest(
                label: "tick_rate \"fast\"", body: #"{"tick_rate": "fast"}"#, status: 400, mentions: ["tick_rate"]),
            BadRequest(label: "tick_rate true", body: #"{"tick_rate": true}"#, status: 400, mentions: ["tick_rate"]),
            BadRequest(label: "tick_rate null", body: #"{"tick_rate": null}"#, status: 400, mentions: ["tick_rate"]),
            BadRequest(
                label: "max_action below the number of VMs", body: #"{"max_action": 2}"#, status: 400,
                mentions: ["max_action", "3"]),
            BadRequest(label: "max_action 4.5", body: #"{"max_action": 4.5}"#, status: 400, mentions: ["max_action"]),
            BadRequest(label: "paused \"yes\"", body: #"{"paused": "yes"}"#, status: 400, mentions: ["paused"]),
            BadRequest(label: "paused 1", body: #"{"paused": 1}"#, status: 400, mentions: ["paused"]),
            BadRequest(label: "an unknown field", body: #"{"speed": 3}"#, status: 400, mentions: ["speed"]),
            BadRequest(
                label: "a good field with an unknown one", body: #"{"tick_rate": 7, "colour": "red"}"#, status: 400,
                mentions: ["colour"]),
            BadRequest(
                label: "a body over 64 KiB",
                body: #"{"tick_rate": 7, "padding": ""# + String(repeating: "x", count: 70_000) + #""}"#, status: 413),
            BadRequest(label: "/log?limit=0", method: "GET", target: "/log?limit=0", status: 400, mentions: ["limit"]),
            BadRequest(
                label: "/log?limit=5000", method: "GET", target: "/log?limit=5000", status: 400, mentions: ["limit"]),
            BadRequest(
                label: "/log?limit=ten", method: "GET", target: "/log?limit=ten", status: 400, mentions: ["limit"]),
            BadRequest(
                label: "/log?after=-1", method: "GET", target: "/log?after=-1", status: 400, mentions: ["after"]),
            BadRequest(
                label: "/log?after=abc", method: "GET", target: "/log?after=abc", status: 400, mentions: ["after"]),
        ]

        @Test("percent-encoded paths and arguments are decoded, except %00")
        func percentEncoding() throws {
            let control = try ControlCluster.require().control(2)
            let status = try control.get("/st%61tus")
            #expect(status.status == 200, "\(status)")
            #expect(try status.decode(StatusReply.self).vmId == 2)
            let page = try control.get("/log?after=0&limit=%33")
            #expect(page.status == 200, "\(page)")
            #expect(try LogPage(page).seqs == [1, 2, 3])
            let missing = try control.get("/status%00x")
            #expect(missing.status == 404, "\(missing)")
            #expect(missing.errorMessage == "no such path /status%00x; see openapi.yaml for the endpoints")
        }

        @Test("bad requests get a 4xx with a JSON error body, and change nothing", arguments: badRequests)
        func badRequest(_ bad: BadRequest) throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(2)
            let before = try control.config()
            let reply = try control.request(
                bad.method, bad.target, headers: bad.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                body: bad.body.map { Array($0.utf8) })
            #expect(reply.status == bad.status, "\(reply)")
            #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
            let message = try #require(reply.errorMessage, "the body should be {\"error\": \"...\"}: \(reply)")
            #expect(!message.isEmpty)
            for word in bad.mentions {
                #expect(message.contains(word), "the message should mention \(word): \(message)")
            }
            if let allow = bad.allow {
                #expect(reply.header("Allow") == allow)
            }
            #expect(try control.config() == before, "the config should not change")
        }

        @Test("with CONTROL_TOKEN, changes need the bearer token; GET stays open")
        func token() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(3)
            defer { _ = try? control.change(#"{"tick_rate": 100}"#, token: Self.token) }
            let before = try control.config()

            for (label, authorization) in [
                ("no Authorization", nil), ("a wrong token", "Bearer wrong"), ("no Bearer prefix", Self.token),
                ("Basic", "Basic \(Self.token)"), ("a longer token", "Bearer \(Self.token)x"),
                ("a shorter token", "Bearer \(Self.token.dropLast())"),
                // Canonically equivalent (Swift's == says equal) but other bytes: e + U+0301 (NFD).
                ("the token in NFD", "Bearer s3cret-te\u{301}ken"),
            ] {
                var headers = [("Content-Type", "application/json")]
                if let authorization { headers.append(("Authorization", authorization)) }
                for method in ["PATCH", "PUT"] {
                    let reply = try control.request(
                        method, "/config", headers: headers, body: Array(#"{"tick_rate": 33}"#.utf8))
                    #expect(reply.status == 401, "\(method) with \(label): \(reply)")
                    #expect(reply.errorMessage != nil, "\(reply)")
                    #expect(reply.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                }
            }
            #expect(try control.config() == before, "refused changes change nothing")
            #expect(try control.status().tickRate == .number(100))

            for target in ["/status", "/clock", "/config", "/log?after=0&limit=3", "/metrics", "/livez", "/readyz"] {
                #expect(try control.get(target).status == 200, "GET \(target) without a token")
            }

            let accepted = try control.change(#"{"tick_rate": 33}"#, token: Self.token)
            #expect(accepted.status == 200, "\(accepted)")
            #expect(try accepted.decode(ConfigReply.self).tickRate == .number(33))
            let put = try control.change(#"{"tick_rate": 34}"#, method: "PUT", token: Self.token)
            #expect(put.status == 200, "\(put)")
            #expect(try control.config().tickRate == .number(34))
            let lowercase = try control.request(
                "PATCH", "/config",
                headers: [("Content-Type", "application/json"), ("Authorization", "bearer \(Self.token)")],
                body: Array(#"{"tick_rate": 35}"#.utf8))
            #expect(lowercase.status == 200, "the scheme matches in any case: \(lowercase)")

            // VMs without a token take changes from anyone.
            let open = try cluster.control(1).change("{}")
            #expect(open.status == 200)
        }
    }
}
