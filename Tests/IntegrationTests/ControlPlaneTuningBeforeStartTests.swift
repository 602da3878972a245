import Foundation
import Testing

@testable import Orchestration

extension ControlPlaneTests {
    /// The tuning has one source of truth: a change accepted while a VM still waits for its peers
    /// is what its `start` line records and what `GET /config` and `/status` answer.
    @Suite
    struct TuningBeforeStart {
        @Test("PATCH /config while waiting for peers: the start line and GET /config report the new tuning")
        func patchBeforeStart() async throws {
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
            let first = try workspace.startVM(1, of: layout, tickRate: "2")
            let control = ControlClient(port: layout.controlPorts[0])
            let answering = await poll { !first.isRunning || control.isAnswering }
            try #require(answering && first.isRunning, "\(describe([first]))")
            #expect(try control.status().state == "waiting_for_peers")

            let reply = try control.change(#"{"tick_rate": 20, "max_action": 7}"#)
            try #require(reply.status == 200, "\(reply)")
            let answered = try reply.decode(ConfigReply.self)
            #expect(answered.tickRate == .number(20) && answered.maxAction == 7)

            let second = try workspace.startVM(2, of: layout, tickRate: "2")
            let vms = [first, second]
            let started = await waitUntilStarted(logs: layout.logPaths, processes: vms)
            try #require(started, "\(describe(vms))")

            let lines = logFileObjects(layout.logPath(1))
            let startIndex = try #require(lines.firstIndex { $0["type"] as? String == "start" })
            let start = lines[startIndex]
            #expect(start["tick_rate"] as? Int == 20, "the start line: \(start)")
            #expect(start["max_action"] as? Int == 7, "the start line: \(start)")
            let configLine = lines[..<startIndex].first { $0["type"] as? String == "config" }
            #expect(configLine?["tick_rate"] as? Int == 20, "the config line before the start: \(lines[..<startIndex])")

            let config = try control.config()
            #expect(config.tickRate == .number(20) && config.maxAction == 7, "GET /config: \(config)")
            let status = try control.status()
            #expect(status.tickRate == .number(20) && status.maxAction == 7)
            // The VM that got no change starts with its own settings.
            let otherStart = logFileObjects(layout.logPath(2)).first { $0["type"] as? String == "start" }
            #expect(otherStart?["tick_rate"] as? Int == 2, "VM 2's start line: \(String(describing: otherStart))")

            #expect(await stopAll(vms) == [.code(0), .code(0)], "\(describe(vms))")
        }
    }
}
