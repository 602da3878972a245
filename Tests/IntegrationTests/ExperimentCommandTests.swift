import Foundation
import Testing

/// `vmserver experiment`: trials of phases against live clusters, retuned over HTTP, then compared.
@Suite(.serialized)
struct ExperimentCommandTests {
    static let plan = """
        name: tiny
        description: two short trials of three phases
        vms: 3
        trials: 2
        seed: 5
        phases:
          - name: fixed rates
            duration: 2.5
            tick_rates: [20, 50, 100]
          - name: vm1 slow
            duration: 2.5
            tick_rates: [5, 50, 100]
            max_action: 5
          - name: vm3 paused
            duration: 2
            paused: [3]

        """

    @Test("a tiny plan: trial folders with logs and reports, the comparison, config lines in the logs")
    func tinyPlan() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let planPath = workspace.path("tiny.yaml")
        try Self.plan.write(toFile: planPath, atomically: true, encoding: .utf8)
        let out = workspace.path("results")
        let experiment = try await workspace.run(
            "experiment", ["experiment", planPath, "--out", out], timeout: .seconds(120))
        let stdout = experiment.standardOutput
        #expect(experiment.exit == .code(0), "\(stdout)\n\(experiment.standardError)")
        #expect(stdout.contains("by phase and trial"), "\(stdout)")

        for trial in 1...2 {
            let folder = "\(out)/trial-\(trial)"
            for file in ["vm1.jsonl", "vm2.jsonl", "vm3.jsonl", "report.html", "summary.json"] {
                #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "trial-\(trial)/\(file) missing")
            }
            let summary = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/summary.json")))
            #expect((summary as? [String: Any])?["passed"] as? Bool == true, "trial \(trial) checks")

            let vm1Configs = logFileObjects("\(folder)/vm1.jsonl").filter { $0["type"] as? String == "config" }
            #expect(
                vm1Configs.contains { ($0["tick_rate"] as? NSNumber)?.doubleValue == 5 },
                "trial \(trial): \(vm1Configs)")
            #expect(vm1Configs.contains { $0["max_action"] as? Int == 5 }, "trial \(trial): \(vm1Configs)")
            let vm3Configs = logFileObjects("\(folder)/vm3.jsonl").filter { $0["type"] as? String == "config" }
            #expect(vm3Configs.contains { $0["paused"] as? Bool == true }, "trial \(trial): \(vm3Configs)")
            let vm1Start = logFileObjects("\(folder)/vm1.jsonl").first { $0["type"] as? String == "start" }
            #expect((vm1Start?["tick_rate"] as? NSNumber)?.doubleValue == 20)
            #expect(vm1Start?["seed"] as? Int == 5 + trial - 1)
        }

        for file in ["comparison.json", "comparison.md", "comparison.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) missing")
        }
        let comparison = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(out)/comparison.json")))
                as? [String: Any])
        #expect(comparison["experiment"] as? String == "tiny")
        let rows = try #require(comparison["rows"] as? [[String: Any]])
        #expect(rows.count == 6)
        let keys = rows.compactMap { row -> String? in
            guard let phase = row["phase"] as? String, let trial = row["trial"] as? Int else { return nil }
            return "\(phase)#\(trial)"
        }
        #expect(
            Set(keys) == [
                "fixed rates#1", "fixed rates#2", "vm1 slow#1", "vm1 slow#2", "vm3 paused#1", "vm3 paused#2",
            ])
        #expect(rows.allSatisfy { $0["checks_passed"] as? Bool == true })
        let markdown = try String(contentsOfFile: "\(out)/comparison.md", encoding: .utf8)
        #expect(markdown.contains("By phase and trial"))
        let html = try String(contentsOfFile: "\(out)/comparison.html", encoding: .utf8)
        #expect(html.contains("<svg"))
    }

    @Test("a bad plan exits 2 with one line naming the field")
    func badPlan() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let planPath = workspace.path("bad.yaml")
        try "vms: 3\nphases:\n  - duration: 2\n    tick_rates: [20, 50]\n".write(
            toFile: planPath, atomically: true, encoding: .utf8)
        let out = workspace.path("results")
        let experiment = try await workspace.run("experiment", ["experiment", planPath, "--out", out])
        #expect(experiment.exit == .code(2))
        #expect(experiment.standardErrorLines.count == 1, "\(experiment.standardError)")
        #expect(
            experiment.standardErrorLines.first?.contains("phases[0].tick_rates") == true, "\(experiment.standardError)"
        )
        #expect(!FileManager.default.fileExists(atPath: out), "nothing runs for a bad plan")
    }
}
