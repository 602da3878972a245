import Analysis
import Foundation
import LamportCore
import Settings
import SystemCalls

/// Runs an `ExperimentPlan` against live clusters over HTTP only: per trial (a `TrialRunner`),
/// starts the VMs, runs each phase for its duration after retuning the VMs with `PATCH /config`
/// and with its faults, nemesis and kills, stops them, analyzes the trial (with a section per
/// phase), and at the end compares phases and trials.
public struct ExperimentRunner: Sendable {
    public let plan: ExperimentPlan
    public let executable: String
    public let outputDirectory: String
    public let print: @Sendable (String) -> Void
    /// Called with each trial's control URLs once its VMs are launched (to show them on a dashboard).
    public var launched: @Sendable ([ControlURL]) -> Void = { _ in }

    public init(
        plan: ExperimentPlan, executable: String, outputDirectory: String?, print: @escaping @Sendable (String) -> Void
    ) {
        self.plan = plan
        self.executable = executable
        self.outputDirectory = outputDirectory ?? "runs/\(plan.name)-\(ClusterPlan.timestamp())"
        self.print = print
    }

    /// Runs every trial; returns 0 when all trials ran and passed their checks, 1 otherwise, 2 when
    /// nothing could start.
    public func run() async -> Int32 {
        print(
            "experiment \(plan.name): \(plan.trials) trial(s) x \(plan.phases.count) phase(s), "
                + "\(String(format: "%.0f", plan.trialDuration)) s per trial; results in \(outputDirectory)\n")
        var results: [TrialResult] = []
        var healthy = true
        for trial in 1...plan.trials {
            let seed = plan.seed.map { $0 + UInt64(trial - 1) } ?? UInt64.random(in: 0...VMSettings.maximumSeed)
            print("\n== trial \(trial)/\(plan.trials) (seed \(seed))\n")
            guard let result = await runTrial(trial, seed: seed) else { return trial == 1 ? 2 : 1 }
            results.append(result)
            if result.exitCode != 0 { healthy = false }
            if result.interrupted { break }
        }
        do {
            let comparison = ExperimentComparison(plan: plan, trials: results)
            try comparison.write(to: outputDirectory)
            print("\n" + comparison.terminalTable())
            print("\ncomparison: \(outputDirectory)/comparison.html (also comparison.md, comparison.json)\n")
        } catch {
            print("cannot write the comparison: \(error)\n")
            healthy = false
        }
        return healthy ? 0 : 1
    }

    /// One trial's outcome: its folder, its per-phase statistics, whether it passed.
    struct TrialResult {
        var trial: Int
        var seed: UInt64
        var directory: String
        var phases: [PhaseStats]
        var passed: Bool
        var exitCode: Int32
        var interrupted: Bool
    }

    private func runTrial(_ trial: Int, seed: UInt64) async -> TrialResult? {
        let directory = "\(outputDirectory)/trial-\(trial)"
        let runner = TrialRunner(
            plan: plan, executable: executable, print: print, byPhase: true, launched: launched)
        guard let outcome = await runner.run(seed: seed, directory: directory) else { return nil }
        return TrialResult(
            trial: trial, seed: seed, directory: directory, phases: outcome.analysis?.phaseStats ?? [],
            passed: outcome.analysis?.passed ?? false, exitCode: outcome.exitCode, interrupted: outcome.interrupted)
    }
}
