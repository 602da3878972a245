import Foundation
import Testing

@testable import Orchestration

/// `vmserver collect` against real VMs on 127.0.0.1: the copies equal the VMs' own files byte for
/// byte, a copy cut in the middle of a line is continued, an unreachable VM is reported.
@Suite(.serialized)
struct CollectCommandTests {
    @Test("collect while running, --follow to the stop, continue a cut copy, report an unreachable VM")
    func collectARun() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let logs = workspace.path("logs")
        let layout = try ClusterLayout(totalVMs: 3, logDirectory: logs)
        let rates = ["20", "40", "60"]
        func startVM(_ vm: Int) throws -> ServerProcess {
            var environment = layout.environment(vm, tickRate: rates[vm - 1])
            // Stops by itself; the control plane stays up so collect can read the stop line.
            environment["RUN_TIME"] = "3"
            environment["SERVE_AFTER_STOP"] = "600"
            return try workspace.start("vm\(vm)", environment: environment)
        }
        let urls = layout.controlPorts.map { "http://127.0.0.1:\($0)" }
        let out = workspace.path("collected")

        // VMs 1 and 2 connected, waiting for VM 3 (not started yet): they run, their logs have
        // lines, and none can stop before VM 3 comes (RUN_TIME counts from the start line).
        var vms = try [startVM(1), startVM(2)]
        let connected = await poll {
            layout.logPaths.prefix(2).allSatisfy { path in
                ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").contains(#""type":"peer_up""#)
            }
        }
        try #require(connected, "VMs 1 and 2 did not connect\n\(describe(vms))")
        let early = try await workspace.run("collect-early", ["collect", "--no-files", "--out", out] + urls)
        #expect(early.exit == .code(3), "VM 3 is not there yet\n\(early.standardOutput)\n\(early.standardError)")
        #expect(early.standardError.contains("vm? \(urls[2]): cannot reach it"), "\(early.standardError)")
        #expect(early.standardOutput.components(separatedBy: "still running").count == 3, "\(early.standardOutput)")
        for vm in [1, 2] {
            let copy = try Data(contentsOf: URL(fileURLWithPath: "\(out)/vm\(vm).jsonl"))
            let original = try Data(contentsOf: URL(fileURLWithPath: layout.logPath(vm)))
            #expect(!copy.isEmpty && original.starts(with: copy), "VM \(vm): the copy is not the log's beginning")
        }
        vms.append(try startVM(3))
        let started = await waitUntilStarted(logs: layout.logPaths, processes: vms)
        try #require(started, "not every VM logged a start line\n\(describe(vms))")

        // --follow continues those copies until each VM has stopped: then they are the whole logs.
        let follow = try await workspace.run("collect-follow", ["collect", "--follow", "--out", out] + urls)
        Self.expectDataChecksPassed(follow)
        for file in analysisFiles {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) not written")
        }
        try Self.expectSameFiles(layout: layout, copies: out)
        #expect(try String(contentsOfFile: "\(out)/vm1.jsonl", encoding: .utf8).contains(#""type":"stop""#))
        // SERVE_AFTER_STOP: a stopped VM still answers reads, and refuses changes.
        let stopped = ControlClient(port: layout.controlPorts[0])
        #expect(try stopped.status().state == "stopped")
        #expect(try stopped.change(#"{"paused": true}"#).status == 503)

        // A copy cut in the middle of a line (an interrupted collect) is repaired and continued.
        let cutPath = "\(out)/vm2.jsonl"
        let whole = try Data(contentsOf: URL(fileURLWithPath: cutPath))
        let lineStarts = whole.indices.filter { $0 > 0 && whole[$0 - 1] == UInt8(ascii: "\n") }
        let cutAt = try #require(lineStarts.dropLast().last) + 20
        try whole.prefix(cutAt).write(to: URL(fileURLWithPath: cutPath))
        let resumed = try await workspace.run("collect-resume", ["collect", "--out", out] + urls)
        Self.expectDataChecksPassed(resumed)
        #expect(resumed.standardOutput.contains("after cutting off 20 bytes"), "\(resumed.standardOutput)")
        #expect(resumed.standardOutput.contains("vm1 http://127.0.0.1:\(layout.controlPorts[0]): 0 new lines"))
        try Self.expectSameFiles(layout: layout, copies: out)

        // A VM that does not answer: one line naming its URL, exit 3, the others still collected.
        let nobody = try FreePorts.allocate(1)[0]
        let partial = workspace.path("partial")
        let missing = try await workspace.run(
            "collect-missing", ["collect", "--out", partial, "http://127.0.0.1:\(nobody)"] + urls)
        #expect(missing.exit == .code(3), "\(missing.standardOutput)\n\(missing.standardError)")
        let complaints = missing.standardError.split(separator: "\n").filter { $0.contains("127.0.0.1:\(nobody)") }
        #expect(complaints.count == 1, "\(missing.standardError)")
        #expect(complaints.first?.contains("cannot reach it") == true, "\(missing.standardError)")
        try Self.expectSameFiles(layout: layout, copies: partial)

        let exits = await stopAll(vms)
        #expect(exits == [.code(0), .code(0), .code(0)], "\(describe(vms))")
    }

    @Test("a VM restarted on its log is collected whole: seq goes on, and paging reaches the earlier run's lines")
    func restartedVM() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let logs = workspace.path("logs")
        let ports = try FreePorts.allocate(2)
        var environment = [
            "VM_ID": "1", "TOTAL_VMS": "1", "PORT": String(ports[0]), "CONTROL_PORT": String(ports[1]),
            "TICK_RATE": "1000", "RUN_TIME": "1", "LOG_DIR": logs,
        ]
        let first = try workspace.start("first", environment: environment)
        #expect(await first.waitForExit() == .code(0), "\(first.standardErrorLines)")
        environment["SERVE_AFTER_STOP"] = "600"
        let second = try workspace.start("second", environment: environment)
        let resumed = await poll {
            ((try? String(contentsOfFile: "\(logs)/vm1.jsonl", encoding: .utf8)) ?? "").contains("resumed_after_seq")
        }
        try #require(resumed, "the second run logged no start line\n\(second.standardErrorLines)")
        let out = workspace.path("collected")
        let collect = try await workspace.run(
            "collect", ["collect", "--follow", "--out", out, "127.0.0.1:\(ports[1])"])
        #expect(collect.exit == .code(0), "\(collect.standardOutput)\n\(collect.standardError)")
        let copy = try Data(contentsOf: URL(fileURLWithPath: "\(out)/vm1.jsonl"))
        let original = try Data(contentsOf: URL(fileURLWithPath: "\(logs)/vm1.jsonl"))
        #expect(copy == original, "\(copy.count) bytes copied, \(original.count) in the log")
        let text = String(decoding: copy, as: UTF8.self)
        #expect(text.components(separatedBy: #""type":"stop""#).count == 3, "two runs, each with its stop line")
        #expect(text.contains(#""resumed_after_seq":"#))
        #expect(await stopAll([second]) == [.code(0)])
    }

    @Test(
        "a bad option exits 2 with one line naming it",
        arguments: [
            (["collect", "http://127.0.0.1:1"], "--out"), (["collect", "--out", "x"], "URL"),
            (["collect", "--out", "x", "ftp://a:1"], "invalid URL ftp://a:1"),
            (["collect", "--out", "x", "--poll-interval", "0", "a:1"], "--poll-interval"),
        ])
    func badOptions(arguments: [String], named: String) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let process = try await workspace.run("collect", arguments)
        #expect(process.exit == .code(2))
        let lines = process.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains(named) == true, "\(process.standardError)")
    }

    /// The collect exited 0 with every check ok, or 1 with only the tick-rate check failed: that one
    /// measures wall-clock timing, which a loaded machine can push past 1 % in a 3 s run, and this
    /// suite is about the copies, not the VMs' timing.
    static func expectDataChecksPassed(_ result: ServerProcess, sourceLocation: SourceLocation = #_sourceLocation) {
        let output = result.standardOutput
        let failed = output.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }
        let onlyTiming = failed.allSatisfy { $0.hasPrefix("FAIL tick_rate_within_1_percent") }
        #expect(output.contains("checks:"), "\(output)\n\(result.standardError)", sourceLocation: sourceLocation)
        #expect(onlyTiming, "\(output)", sourceLocation: sourceLocation)
        #expect(
            result.exit == .code(failed.isEmpty ? 0 : 1), "\(output)\n\(result.standardError)",
            sourceLocation: sourceLocation)
    }

    /// Every VM's copy in `copies` equals its own file, byte for byte.
    static func expectSameFiles(layout: ClusterLayout, copies: String) throws {
        for vm in layout.ids {
            let copy = try Data(contentsOf: URL(fileURLWithPath: "\(copies)/vm\(vm).jsonl"))
            let original = try Data(contentsOf: URL(fileURLWithPath: layout.logPath(vm)))
            #expect(copy == original, "VM \(vm): \(copy.count) bytes copied, \(original.count) in its log")
        }
    }
}
