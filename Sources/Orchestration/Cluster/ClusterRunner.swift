import Foundation
import LamportCore

/// Runs a `ClusterPlan`: starts the VMs as separate `vmserver run` processes on this host with the
/// seed's connection pattern (VM i dials every VM below it), shows progress, carries out its
/// `--fault`, `--nemesis` and `--kill` options, stops them all cleanly at the end or on Ctrl-C,
/// then analyzes the run (report files in the run folder) and prints a summary per VM with the
/// checks. The run is a one-phase experiment trial (`TrialRunner`), so a cluster run and a plan
/// share every step.
public struct ClusterRunner: Sendable {
    public let plan: ClusterPlan
    /// The `vmserver` binary to start for each VM.
    public let executable: String
    /// Where progress and the summary go (standard output by default).
    public let print: @Sendable (String) -> Void
    /// Called with the VMs' control URLs once they are launched (to show them on a dashboard).
    public var launched: @Sendable ([ControlURL]) -> Void = { _ in }

    public init(plan: ClusterPlan, executable: String, print: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.executable = executable
        self.print = print
    }

    /// The run as a plan of one trial of one phase.
    var experiment: ExperimentPlan {
        ExperimentPlan(
            name: "cluster", description: nil, vms: plan.vmCount, trials: 1, seed: plan.seed,
            topology: plan.topology,
            phases: [
                ExperimentPlan.Phase(
                    name: "run", duration: plan.duration,
                    tickRates: plan.tickRates.map(ExperimentPlan.RateChoice.fixed),
                    maxAction: plan.maxAction, paused: [], faults: plan.faults)
            ])
    }

    /// Runs the cluster and returns the exit code: 0 when every VM stopped cleanly (or was killed
    /// by the plan and left down) and every check passed, 1 otherwise, 2 when the run could not
    /// start (message on standard error).
    public func run() async -> Int32 {
        let runner = TrialRunner(
            plan: experiment, executable: executable, print: print, byPhase: false, launched: launched)
        let outcome = await runner.run(seed: plan.seed, directory: plan.outputDirectory) { cluster in
            try writeSettings(cluster)
            print("run folder: \(cluster.directory)\n")
        }
        return outcome?.exitCode ?? 2
    }

    private func writeSettings(_ cluster: LocalCluster) throws {
        var document: [String: Any] = [
            "vms": plan.vmCount, "duration_s": plan.duration, "seed": plan.seed,
            "max_action": plan.maxAction.map { $0 as Any } ?? "each VM's default for its neighbour count",
            "tick_rates": plan.tickRates.map { $0.map(\.description) } ?? "random 1-6 from the seed",
            "topology": plan.topology.description, "links": plan.graph.linkCount,
            "settings": cluster.environments,
        ]
        if case .range(let range)? = plan.tickRateSpec {
            document["tick_rate_range"] = "\(range.lowerBound)-\(range.upperBound)"
        }
        if !plan.faults.faults.isEmpty { document["faults"] = plan.faults.faults.map(\.source.label) }
        if let nemesis = plan.faults.nemesis { document["nemesis"] = nemesis.source.label }
        if !plan.faults.kills.isEmpty { document["kills"] = plan.faults.kills.map(\.source.label) }
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(cluster.directory)/settings.json"))
    }
}
