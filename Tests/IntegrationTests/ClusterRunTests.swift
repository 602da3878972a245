import Foundation
import Testing

@testable import Analysis
@testable import Orchestration

/// Whole clusters of `vmserver` processes: they tick, stop cleanly, and their logs pass every check.
@Suite(.serialized)
struct ClusterRunTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var rates: [String]
        /// How long to let the VMs tick before stopping them (run length, not an assertion).
        var seconds: Double

        var unthrottled: Bool { rates.contains("max") }
        var testDescription: String { "\(rates.count) VMs at \(rates.joined(separator: ", "))" }
    }

    static let scenarios = [
        Scenario(rates: ["200", "500", "1000"], seconds: 2.5),
        Scenario(rates: ["max", "max", "max"], seconds: 1.5),
        Scenario(rates: ["200", "300", "400", "500", "1000"], seconds: 2.5),
    ]

    @Test(
        "VMs started as processes tick, stop cleanly on SIGTERM, and their logs pass every check", arguments: scenarios)
    func processesRunCleanly(_ scenario: Scenario) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: scenario.rates.count, logDirectory: workspace.path("logs"))
        let vms = try layout.ids.map { try workspace.startVM($0, of: layout, tickRate: scenario.rates[$0 - 1]) }

        let started = await waitUntilStarted(logs: layout.logPaths, processes: vms)
        try #require(started, "not every VM logged a start line\n\(describe(vms))")
        try await Task.sleep(for: .seconds(scenario.seconds))
        let busy = await poll { layout.logPaths.allSatisfy { EventLogs.lineCount($0, upTo: 400) >= 400 } }
        #expect(busy, "every VM should log hundreds of events")

        let exits = await stopAll(vms)
        #expect(exits == Array(repeating: .code(0), count: vms.count), "\(describe(vms))")

        let report = try RunChecker.check(logFiles: layout.logPaths)
        for check in report.checks {
            #expect(check.passed, "\(check.name): \(check.examples.joined(separator: "; "))")
        }
        #expect(report.accounting.sent > 0)
        #expect(report.accounting.unaccounted == 0)
        #expect(report.accounting.lostToCrash == 0)
        #expect(report.crashedVMs.isEmpty)
        for vm in layout.ids {
            let path = layout.logPath(vm)
            #expect(try EventLogs.lastRecord(path)?.kind == .stop, "vm\(vm)'s log should end with a stop line")
            let summary = try VMRunSummary.read(path: path, vm: vm)
            #expect(summary.tickEvents >= 300, "vm\(vm) logged only \(summary.tickEvents) tick events")
        }
        // Messages are received while the VMs run (not only left queued for the stop), at any rate.
        // How many stay queued depends on how the machine shares its cores, so only this is asserted.
        let accounting = report.accounting
        #expect(accounting.received > 0, "\(accounting.received) received, \(accounting.unprocessed) unprocessed")
    }

    @Test("vmserver cluster runs the VMs, writes the run folder and prints a summary and the checks")
    func clusterCommand() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let cluster = try workspace.start(
            "cluster",
            arguments: [
                "cluster", "--vms", "3", "--duration", "3", "--tick-rates", "200,400,800", "--seed", "5", "--out", out,
            ],
            environment: [:])
        let exit = await cluster.waitForExit(timeout: .seconds(120))
        #expect(exit == .code(0), "\(describe([cluster]))\n\(cluster.standardOutput)")

        for name in ["vm1.jsonl", "vm2.jsonl", "vm3.jsonl", "settings.json"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)"), "\(name) missing from the run folder")
        }
        let settings = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: "\(out)/settings.json")))
        let document = try #require(settings as? [String: Any])
        #expect(document["vms"] as? Int == 3)
        #expect(document["seed"] as? Int == 5)

        let stdout = cluster.standardOutput
        let lines = stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let header = try #require(
            lines.firstIndex { $0.first == "vm" && $0.contains("rate") && $0.contains("receives") },
            "no summary table in:\n\(stdout)")
        let rows = lines[(header + 1)...].prefix(3)
        #expect(rows.map { $0.first } == ["1", "2", "3"], "one row per VM:\n\(stdout)")
        #expect(rows.map { $0.dropFirst().first } == ["200", "400", "800"], "the rate column:\n\(stdout)")
        #expect(stdout.contains("checks:"))
        for name in Self.checkNames {
            #expect(
                lines.contains { $0.first == "ok" && $0.contains("\(name):") }, "\(name) not reported ok:\n\(stdout)")
        }
        #expect(!stdout.contains("FAIL"))
    }

    static let checkNames = [
        "seq_without_gaps", "lamport_rules", "receive_matches_send", "clock_condition", "messages_accounted",
    ]

    @Test("vmserver analyze passes a good run and exits 1 on a log with a line removed")
    func analyzeCommand() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let good = workspace.path("good")
        let cluster = try workspace.start(
            "cluster",
            arguments: [
                "cluster", "--vms", "3", "--duration", "1", "--tick-rates", "100,150,200", "--seed", "9", "--out", good,
            ],
            environment: [:])
        let clusterExit = await cluster.waitForExit(timeout: .seconds(120))
        try #require(clusterExit == .code(0), "\(describe([cluster]))\n\(cluster.standardOutput)")

        let analyzeGood = try workspace.start("analyze-good", arguments: ["analyze", good], environment: [:])
        #expect(await analyzeGood.waitForExit(timeout: .seconds(60)) == .code(0), "\(analyzeGood.standardOutput)")
        #expect(analyzeGood.standardOutput.contains("checks:"))
        #expect(!analyzeGood.standardOutput.contains("FAIL"))

        // A copy of the run with one receive line deleted from VM 2's log: a gap in its seq.
        let broken = workspace.path("broken")
        try FileManager.default.createDirectory(atPath: broken, withIntermediateDirectories: true)
        for vm in 1...3 {
            try FileManager.default.copyItem(atPath: "\(good)/vm\(vm).jsonl", toPath: "\(broken)/vm\(vm).jsonl")
        }
        var lines = try String(contentsOfFile: "\(broken)/vm2.jsonl", encoding: .utf8).components(separatedBy: "\n")
        let receive = try #require(lines.firstIndex { $0.contains(#""type":"receive""#) }, "VM 2 received nothing")
        lines.remove(at: receive)
        try lines.joined(separator: "\n").write(toFile: "\(broken)/vm2.jsonl", atomically: true, encoding: .utf8)

        let analyzeBroken = try workspace.start("analyze-broken", arguments: ["analyze", broken], environment: [:])
        #expect(await analyzeBroken.waitForExit(timeout: .seconds(60)) == .code(1), "\(analyzeBroken.standardOutput)")
        let failed = analyzeBroken.standardOutput.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failed.contains { $0.contains("seq_without_gaps") }, "\(analyzeBroken.standardOutput)")
    }

    @Test("vmserver analyze of a folder without logs exits 2 with one line")
    func analyzeEmptyFolder() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let analyze = try workspace.start("analyze", arguments: ["analyze", workspace.folder.path], environment: [:])
        #expect(await analyze.waitForExit() == .code(2))
        #expect(analyze.standardErrorLines.count == 1, "\(analyze.standardError)")
    }
}
