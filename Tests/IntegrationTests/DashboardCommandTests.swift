import Foundation
import Testing

@testable import Orchestration

/// The dashboard against real VMs on 127.0.0.1: `vmserver cluster --dashboard` serves the page and
/// `/api/state` with every VM, passes a pause on to the VM, and answers bad requests with 4xx;
/// `vmserver dashboard` shows a VM that does not answer as unreachable.
@Suite(.serialized)
struct DashboardCommandTests {
    /// The dashboard's port from the `dashboard: http://127.0.0.1:PORT/` line of `process`.
    func dashboardPort(of process: ServerProcess) async -> Int? {
        var port: Int?
        _ = await poll(timeout: .seconds(60)) {
            let output = process.standardOutput
            guard let range = output.range(of: "dashboard: http://127.0.0.1:") else { return !process.isRunning }
            port = Int(output[range.upperBound...].prefix { $0.isNumber })
            return true
        }
        return port
    }

    /// `/api/state` as text, for messages.
    func stateText(_ dashboard: ControlClient) -> Comment {
        Comment(rawValue: (try? dashboard.get("/api/state"))?.description ?? "no answer from /api/state")
    }

    /// `/api/state`'s VMs.
    func vms(_ dashboard: ControlClient) throws -> [[String: Any]] {
        try dashboard.object("/api/state")["vms"] as? [[String: Any]] ?? []
    }

    @Test("cluster --dashboard: the page, every VM's state and events, a pause passed on, bad requests refused")
    func clusterDashboard() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let cluster = try workspace.start(
            "cluster",
            arguments: [
                "cluster", "--vms", "3", "--duration", "300", "--tick-rates", "20,20,20", "--out",
                workspace.path("run"), "--dashboard", "0",
            ], environment: [:])
        let port = try #require(await dashboardPort(of: cluster), "no dashboard line\n\(describe([cluster]))")
        let dashboard = ControlClient(port: port)

        let page = try dashboard.get("/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.contains("vmserver dashboard"))
        #expect(try dashboard.get("/dashboard.js").status == 200)
        #expect(try dashboard.get("/dashboard.css").status == 200)

        let running = try await poll(timeout: .seconds(60)) {
            let vms = try vms(dashboard)
            return vms.count == 3 && vms.allSatisfy { ($0["reachable"] as? Bool) == true }
                && vms.allSatisfy { (($0["status"] as? [String: Any])?["state"] as? String) == "running" }
        }
        try #require(running, "the dashboard did not show 3 running VMs: \(stateText(dashboard))")
        let state = try dashboard.object("/api/state")
        #expect(Set(try vms(dashboard).compactMap { $0["vm_id"] as? Int }) == [1, 2, 3])
        let events = try #require(state["events"] as? [[String: Any]])
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0["seq"] is Int && $0["vm"] is Int && $0["type"] is String })
        let next = try #require(state["next"] as? Int)
        let later = try dashboard.object("/api/state?after=\(next)")
        #expect(((later["events"] as? [[String: Any]]) ?? []).allSatisfy { _ in true })
        #expect((later["next"] as? Int ?? -1) >= next)

        // A pause through the dashboard reaches VM 2 (read from VM 2's own control plane).
        let vm2URL = try #require(try vms(dashboard).first { $0["vm_id"] as? Int == 2 }?["url"] as? String)
        let vm2 = ControlClient(port: try #require(Int(vm2URL.split(separator: ":").last ?? "")))
        let paused = try dashboard.request(
            "PATCH", "/api/vms/2/config", headers: [("Content-Type", "application/json")],
            body: Array(#"{"paused": true}"#.utf8))
        #expect(paused.status == 200, "\(paused)")
        #expect(try vm2.status().state == "paused")
        let fault = try dashboard.request(
            "POST", "/api/vms/1/faults", headers: [("Content-Type", "application/json")],
            body: Array(#"{"kind": "partition", "peers": [3]}"#.utf8))
        #expect(fault.status == 201, "\(fault)")
        #expect(try dashboard.request("DELETE", "/api/vms/1/faults").status == 204)

        // Bad requests: 4xx with {"error": ...}.
        for (method, target, type) in [
            ("GET", "/api/state?after=minus", "application/json"), ("PATCH", "/api/vms/7/config", "application/json"),
            ("PATCH", "/api/vms/2/config", "text/plain"), ("GET", "/missing", "application/json"),
        ] {
            let reply = try dashboard.request(
                method, target, headers: [("Content-Type", type)], body: method == "GET" ? nil : Array("{}".utf8))
            #expect((400..<500).contains(reply.status), "\(method) \(target): \(reply)")
            #expect(reply.errorMessage != nil, "\(method) \(target): \(reply)")
        }
        cluster.send(SIGINT)
        #expect(await cluster.waitForExit(timeout: .seconds(60)) != .stillRunning)
    }

    @Test("dashboard URL...: a VM with CONTROL_TOKEN gets the page's token; one that does not answer is unreachable")
    func tokenAndUnreachable() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let ports = try FreePorts.allocate(3)
        let vm = try workspace.start(
            "vm1",
            environment: [
                "VM_ID": "1", "PORT": String(ports[0]), "CONTROL_PORT": String(ports[1]), "TOTAL_VMS": "1",
                "PEERS": "{}", "TICK_RATE": "5", "RUN_TIME": "120", "SEED": "1", "LOG_DIR": workspace.path("logs"),
                "CONTROL_TOKEN": "sesame",
            ])
        let process = try workspace.start(
            "dashboard",
            arguments: ["dashboard", "--port", "0", "http://127.0.0.1:\(ports[1])", "http://127.0.0.1:\(ports[2])"],
            environment: [:])
        let port = try #require(await dashboardPort(of: process), "no dashboard line\n\(describe([process, vm]))")
        let dashboard = ControlClient(port: port)
        let shown = try await poll(timeout: .seconds(60)) {
            let vms = try vms(dashboard)
            return vms.count == 2 && (vms[0]["reachable"] as? Bool) == true && (vms[1]["reachable"] as? Bool) == false
                && vms[1]["error"] is String
        }
        #expect(shown, stateText(dashboard))

        let json = [("Content-Type", "application/json")]
        let body = Array(#"{"paused": true}"#.utf8)
        let refused = try dashboard.request("PATCH", "/api/vms/1/config", headers: json, body: body)
        #expect(refused.status == 401, "\(refused)")
        #expect(refused.errorMessage != nil)
        let wrong = try dashboard.request(
            "PATCH", "/api/vms/1/config", headers: json + [("Authorization", "Bearer open")], body: body)
        #expect(wrong.status == 401, "\(wrong)")
        let accepted = try dashboard.request(
            "PATCH", "/api/vms/1/config", headers: json + [("Authorization", "Bearer sesame")], body: body)
        #expect(accepted.status == 200, "\(accepted)")
        #expect(try ControlClient(port: ports[1]).config().paused)
        let missing = try dashboard.request("PATCH", "/api/vms/2/config", headers: json, body: Array("{}".utf8))
        #expect(missing.status == 404)
        process.terminate()
        _ = await process.waitForExit()

        for (index, (arguments, named)) in [
            (["dashboard"], "URL"), (["dashboard", "ftp://x:1"], "ftp://x:1"),
            (["dashboard", "--port", "70000", "http://127.0.0.1:6001"], "--port"),
            (["cluster", "--vms", "2", "--dashboard", "http"], "--dashboard"),
        ].enumerated() {
            let bad = try await workspace.run("bad\(index)", arguments)
            #expect(bad.exit == .code(2), "\(arguments): \(bad.exit)")
            #expect(bad.standardError.contains(named), "\(arguments): \(bad.standardError)")
            #expect(bad.standardError.split(separator: "\n").count == 1, "\(arguments): \(bad.standardError)")
        }
    }
}
