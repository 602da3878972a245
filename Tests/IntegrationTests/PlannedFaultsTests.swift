import Foundation
import Testing

/// Faults, nemesis cycles and crashes carried out by `vmserver experiment` and `vmserver cluster`
/// on real VM processes: the logs show them where the plan put them, and the runs pass every check.
@Suite(.serialized)
struct PlannedFaultsTests {
    /// The JSON object of a run's `summary.json` or `faults.json`.
    static func object(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The entries of `faults.json` in `folder`.
    static func faultEvents(_ folder: String) throws -> [[String: Any]] {
        try #require(try object("\(folder)/faults.json")["events"] as? [[String: Any]])
    }

    static func checksPassAndAllAccounted(_ folder: String, _ context: String) throws {
        let summary = try object("\(folder)/summary.json")
        #expect(summary["passed"] as? Bool == true, "\(context)")
        let messages = try #require(summary["messages"] as? [String: Any])
        #expect(messages["copies_unaccounted"] as? Int == 0, "\(messages)")
    }

    /// Runs `vmserver experiment` on the plan `text`; the process and its trial folder.
    static func experiment(_ text: String, in workspace: TestWorkspace) async throws -> (ServerProcess, String) {
        let planPath = workspace.path("plan.yaml")
        try text.write(toFile: planPath, atomically: true, encoding: .utf8)
        let out = workspace.path("results")
        let run = try await workspace.run("experiment", ["experiment", planPath, "--out", out], timeout: .seconds(120))
        #expect(run.exit == .code(0), "\(run.standardOutput)\n\(run.standardError)")
        return (run, "\(out)/trial-1")
    }

    @Test("a plan's kill and restart: the run goes on to its end, the VM's log continues after its crash")
    func killAndRestart() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let plan = """
            vms: 3
            seed: 4
            phases:
              - name: before
                duration: 1.5
                tick_rates: [30, 40, 50]
              - name: crash
                duration: 4
                kill: [{vm: 2, at_s: 1, restart_after_s: 1.5}]
              - name: one down
                duration: 2
                kill: [{vm: 3, at_s: 0.5}]

            """
        let (run, folder) = try await Self.experiment(plan, in: workspace)
        let stdout = run.standardOutput
        #expect(stdout.contains("vm2 killed (SIGKILL) [kill[0]]"), "\(stdout)")
        #expect(stdout.contains("vm2 running again"), "\(stdout)")
        #expect(stdout.contains("vm3 was killed by the plan and not restarted"), "\(stdout)")

        let vm2 = logFileObjects("\(folder)/vm2.jsonl")
        let starts = vm2.indices.filter { vm2[$0]["type"] as? String == "start" }
        try #require(starts.count == 2, "VM 2 should start twice: \(starts)")
        // The restarted VM logs its peers' peer_up lines, then a start line naming the last line of
        // the run before, which ended in the crash (no stop line).
        let resumedAfter = try #require(vm2[starts[1]]["resumed_after_seq"] as? Int, "\(vm2[starts[1]])")
        let lastBefore = try #require(vm2.firstIndex { $0["seq"] as? Int == resumedAfter })
        #expect(vm2[(lastBefore + 1)..<starts[1]].allSatisfy { $0["type"] as? String == "peer_up" })
        #expect(!vm2[...lastBefore].contains { $0["type"] as? String == "stop" }, "the first run ended in a crash")
        #expect(vm2.last?["type"] as? String == "stop", "the restarted VM stopped cleanly")
        #expect(vm2[starts[1]...].contains { $0["type"] as? String == "receive" }, "the restarted VM received")
        let vm3 = logFileObjects("\(folder)/vm3.jsonl")
        #expect(vm3.last?["type"] as? String != "stop", "VM 3 stayed down to the end")

        try Self.checksPassAndAllAccounted(folder, stdout)
        let events = try Self.faultEvents(folder)
        let vm2Actions = events.filter { $0["vm"] as? Int == 2 }.compactMap { $0["action"] as? String }
        #expect(vm2Actions == ["kill", "restart", "running"], "\(events)")
        #expect(
            events.contains { $0["vm"] as? Int == 3 && $0["action"] as? String == "kill" && $0["phase"] as? Int == 3 })
    }

    @Test("a phase's fault: posted at the phase's start, removed at its end, its losses accounted")
    func phaseFault() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let plan = """
            vms: 3
            seed: 6
            phases:
              - duration: 1.5
                tick_rates: [40, 40, 40]
                max_action: 3
              - duration: 2
                tick_rates: [41, 40, 40]
                faults: [{vm: 1, kind: loss, probability: 1.0, peers: [2]}]
              - duration: 1.5
                tick_rates: [40, 40, 40]

            """
        let (run, folder) = try await Self.experiment(plan, in: workspace)
        let stdout = run.standardOutput
        #expect(stdout.contains("phase 2 at 0.0 s: vm1 loss 1.0 to [2] (fault 1) until the phase ends"), "\(stdout)")

        let vm1 = logFileObjects("\(folder)/vm1.jsonl")
        let configs = vm1.indices.filter { vm1[$0]["type"] as? String == "config" }
        try #require(configs.count == 2, "a config line at the start of phases 2 and 3: \(configs)")
        let fault = try #require(vm1.firstIndex { $0["type"] as? String == "fault" })
        let heal = try #require(vm1.firstIndex { $0["type"] as? String == "heal" })
        #expect(configs[0] < fault && fault < heal && heal < configs[1], "fault and heal inside phase 2")
        #expect(vm1[fault]["kind"] as? String == "loss" && vm1[fault]["peers"] as? [Int] == [2])
        #expect(vm1[heal]["reason"] as? String == "removed", "DELETE /faults/{id} at the phase's end")
        let lossy = vm1[fault..<heal].filter { ($0["to"] as? [Int])?.contains(2) == true }
        #expect(!lossy.isEmpty && lossy.allSatisfy { $0["lost"] as? [Int] == [2] }, "\(lossy)")
        let later = vm1[heal...].filter { ($0["to"] as? [Int])?.contains(2) == true }
        #expect(!later.isEmpty && later.allSatisfy { $0["lost"] == nil }, "nothing lost after the heal")

        try Self.checksPassAndAllAccounted(folder, stdout)
        let messages = try #require(try Self.object("\(folder)/summary.json")["messages"] as? [String: Any])
        #expect(messages["copies_lost_to_fault"] as? Int == lossy.count, "\(messages)")
        let events = try Self.faultEvents(folder)
        #expect(events.compactMap { $0["action"] as? String } == ["fault", "heal"], "\(events)")
    }

    @Test("vmserver cluster --kill with its restart due at the run's end: the run still passes")
    func restartAtTheEnd() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let run = try await workspace.run(
            "cluster",
            [
                "cluster", "--vms", "3", "--duration", "3", "--tick-rates", "20,20,20", "--seed", "4", "--out", out,
                "--kill", "3@2+1",
            ], timeout: .seconds(120))
        let stdout = run.standardOutput
        #expect(run.exit == .code(0), "\(stdout)\n\(run.standardError)")
        #expect(stdout.contains("vm3 restarted"), "\(stdout)")
        #expect(!stdout.contains("not by the plan"), "\(stdout)")
        try Self.checksPassAndAllAccounted(out, stdout)
    }

    @Test("vmserver cluster --fault and --nemesis: the fault on its VM, a partition both ways each cycle")
    func clusterFaults() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let run = try await workspace.run(
            "cluster",
            [
                "cluster", "--vms", "4", "--duration", "4.5", "--tick-rates", "30,30,30,30", "--seed", "2", "--out",
                out,
                "--fault", #"1@0.5:{"kind":"loss","probability":1,"peers":[2],"duration_s":1}"#,
                "--nemesis", "partition_halves,every=1.5,for=0.8",
            ], timeout: .seconds(120))
        let stdout = run.standardOutput
        #expect(run.exit == .code(0), "\(stdout)\n\(run.standardError)")
        #expect(stdout.contains("vm1 loss 1.0 to [2], 1 s (fault 1)"), "\(stdout)")
        #expect(stdout.contains("nemesis partition_halves #2"), "\(stdout)")

        let vm1 = logFileObjects("\(out)/vm1.jsonl")
        let loss = try #require(vm1.first { $0["type"] as? String == "fault" && $0["kind"] as? String == "loss" })
        #expect(loss["peers"] as? [Int] == [2] && (loss["duration_s"] as? NSNumber)?.doubleValue == 1)
        #expect(
            vm1.contains {
                $0["type"] as? String == "heal" && $0["id"] as? Int == loss["id"] as? Int
                    && $0["reason"] as? String == "expired"
            })
        // Each cycle cuts the four VMs into two halves of two: every VM one partition from two VMs.
        var cutFrom: [Int: [[Int]]] = [:]
        for vm in 1...4 {
            cutFrom[vm] = logFileObjects("\(out)/vm\(vm).jsonl").filter {
                $0["type"] as? String == "fault" && $0["kind"] as? String == "partition"
            }.compactMap { $0["peers"] as? [Int] }
        }
        for cycle in 0..<2 {
            for vm in 1...4 {
                let peers = try #require(cutFrom[vm]?.dropFirst(cycle).first, "vm\(vm) cycle \(cycle + 1): \(cutFrom)")
                #expect(peers.count == 2 && !peers.contains(vm))
                for peer in peers { #expect(cutFrom[peer]?.dropFirst(cycle).first?.contains(vm) == true, "both ways") }
            }
        }
        try Self.checksPassAndAllAccounted(out, stdout)
        let settings = try Self.object("\(out)/settings.json")
        #expect(settings["nemesis"] as? String == "--nemesis partition_halves,every=1.5,for=0.8")
    }

    @Test(
        "a bad --fault, --nemesis or --kill exits 2 with one line naming it",
        arguments: [
            ["cluster", "--kill", "9@1"], ["cluster", "--nemesis", "majorities_ring,every=5,for=1"],
            ["cluster", "--fault", #"1@1:{"kind":"loss"}"#], ["simulate", "--nemesis", "kill,every=5,for=1"],
        ])
    func badOption(_ arguments: [String]) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let run = try await workspace.run("bad", arguments + ["--out", workspace.path("out")])
        #expect(run.exit == .code(2))
        #expect(run.standardErrorLines.count == 1, "\(run.standardError)")
        #expect(run.standardErrorLines.first?.contains("invalid \(arguments[1])") == true, "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out")), "nothing runs")
    }
}
