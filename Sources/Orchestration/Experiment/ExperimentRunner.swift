import Analysis
import Foundation
import LamportCore
import Settings
import SystemCalls

/// Runs an `ExperimentPlan` against live clusters over HTTP only: per trial, starts the VMs, runs
/// each phase for its duration after retuning the VMs with `PATCH /config`, stops them, analyzes
/// the trial (with a section per phase), and at the end compares phases and trials.
public struct ExperimentRunner: Sendable {
    public let plan: ExperimentPlan
    public let executable: String
    public let outputDirectory: String
    public let print: @Sendable (String) -> Void

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
        let first = plan.phases[0]
        let rates = rates(for: first, seed: seed, phaseIndex: 0)
        let layout = ClusterLayout(
            vmCount: plan.vms, directory: directory, tickRates: rates, seed: seed,
            maxAction: first.maxAction ?? max(10, plan.vms))
        let cluster: LocalCluster
        do {
            cluster = try LocalCluster(layout: layout, executable: executable)
        } catch {
            StandardError.write("vmserver: \(error)\n")
            return nil
        }
        print(cluster.describe())
        var windows: [PhaseWindow] = []
        if let problem = await cluster.waitUntilRunning() {
            print(problem + "\n")
        } else {
            windows = await runPhases(cluster, seed: seed)
        }
        let interrupted = cluster.interrupted
        print(interrupted ? "interrupted: stopping the VMs\n" : "stopping the VMs\n")
        let exitCodes = await cluster.stop()
        let (code, analysis) = ClusterReport.finish(cluster, exitCodes: exitCodes, phases: windows, print: print)
        return TrialResult(
            trial: trial, seed: seed, directory: directory, phases: analysis?.phaseStats ?? [],
            passed: analysis?.passed ?? false, exitCode: code, interrupted: interrupted)
    }

    /// Runs the phases in order; returns their wall-clock windows.
    private func runPhases(_ cluster: LocalCluster, seed: UInt64) async -> [PhaseWindow] {
        let progress = ProgressDisplay(print: print)
        var windows: [PhaseWindow] = []
        for (index, phase) in plan.phases.enumerated() {
            // The first phase's rates and max_action are the VMs' start settings; only a pause
            // needs sending then.
            if index > 0 || !phase.paused.isEmpty,
                let problem = await retune(cluster, to: phase, seed: seed, phaseIndex: index)
            {
                print("cannot start phase '\(phase.name)': \(problem)\n")
                break
            }
            let start = WallTime.now()
            await cluster.watch(
                phase: "phase \(index + 1)/\(plan.phases.count) \(phase.name)", duration: phase.duration,
                progress: progress)
            progress.finishPhase()
            windows.append(PhaseWindow(name: phase.name, start: start.microseconds, end: WallTime.now().microseconds))
            if cluster.interrupted || cluster.exitedVM != nil { break }
        }
        return windows
    }

    /// Sends each VM its settings for `phase` (only what the phase sets), over HTTP.
    private func retune(
        _ cluster: LocalCluster, to phase: ExperimentPlan.Phase, seed: UInt64, phaseIndex: Int
    ) async
        -> String?
    {
        let rates = rates(for: phase, seed: seed, phaseIndex: phaseIndex)
        for vm in cluster.vmIDs {
            var fields: [String] = []
            if let rates {
                let rate = rates[vm - 1]
                fields.append("\"tick_rate\": " + (rate == .unthrottled ? "\"max\"" : rate.description))
            }
            if let maxAction = phase.maxAction { fields.append("\"max_action\": \(maxAction)") }
            fields.append("\"paused\": \(phase.paused.contains(vm))")
            if let problem = await cluster.patchConfig(vm: vm, json: "{" + fields.joined(separator: ", ") + "}") {
                return problem
            }
        }
        return nil
    }

    /// The rate of each VM in a phase: fixed, or drawn from the trial's seed and the phase number.
    func rates(for phase: ExperimentPlan.Phase, seed: UInt64, phaseIndex: Int) -> [TickRate]? {
        switch phase.tickRates {
        case nil: return nil
        case .fixed(let rates): return rates
        case .random(let range):
            return (1...plan.vms).map { vm in
                var random = SeededRandom(seed: seed &+ UInt64(phaseIndex) &* 0x9E37_79B9, vmID: vm)
                return .perSecond(Double(random.roll(in: range)))
            }
        }
    }
}
