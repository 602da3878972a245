import Analysis
import Foundation
import SystemCalls

/// Runs a `ClusterPlan`: starts the VMs as separate `vmserver run` processes on this host with the
/// seed's connection pattern (VM i dials every VM below it), shows progress, stops them all
/// cleanly at the end or on Ctrl-C, then analyzes the run (report files in the run folder) and
/// prints a summary per VM with the checks.
public struct ClusterRunner: Sendable {
    public let plan: ClusterPlan
    /// The `vmserver` binary to start for each VM.
    public let executable: String
    /// Where progress and the summary go (standard output by default).
    public let print: @Sendable (String) -> Void

    public init(plan: ClusterPlan, executable: String, print: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.executable = executable
        self.print = print
    }

    /// Runs the cluster and returns the exit code: 0 when every VM stopped cleanly and every check
    /// passed, 1 otherwise, 2 when the run could not start (message on standard error).
    public func run() async -> Int32 {
        let layout = ClusterLayout(
            vmCount: plan.vmCount, directory: plan.outputDirectory, tickRates: plan.tickRates, seed: plan.seed,
            maxAction: plan.maxAction)
        let cluster: LocalCluster
        do {
            cluster = try LocalCluster(layout: layout, executable: executable)
            try writeSettings(cluster)
        } catch {
            StandardError.write("vmserver: \(error)\n")
            return 2
        }
        print("run folder: \(cluster.directory)\n" + cluster.describe())
        if let problem = await cluster.waitUntilRunning() {
            print(problem + "\n")
        } else {
            await runPhase(cluster)
        }
        print(cluster.interrupted ? "interrupted: stopping the VMs\n" : "stopping the VMs\n")
        let exitCodes = await cluster.stop()
        return ClusterReport.finish(cluster, exitCodes: exitCodes, phases: [], print: print).exitCode
    }

    private func runPhase(_ cluster: LocalCluster) async {
        await cluster.watch(phase: "run", duration: plan.duration, progress: ProgressDisplay(print: print))
        if let gone = cluster.exitedVM { print("vm\(gone) exited early; stopping the run\n") }
    }

    private func writeSettings(_ cluster: LocalCluster) throws {
        let document: [String: Any] = [
            "vms": plan.vmCount, "duration_s": plan.duration, "seed": plan.seed, "max_action": plan.maxAction,
            "tick_rates": plan.tickRates.map { $0.map(\.description) } ?? "random 1-6 from the seed",
            "settings": cluster.environments,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(cluster.directory)/settings.json"))
    }
}

/// The end of a cluster run: exit codes, then the analysis written into the run folder and the
/// summary and checks printed.
enum ClusterReport {
    /// The exit code is 0 when every VM exited 0 and every check passed, else 1; the analysis is nil
    /// when the logs could not be read.
    static func finish(
        _ cluster: LocalCluster, exitCodes: [Int32?], phases: [PhaseWindow], print: @Sendable (String) -> Void
    ) -> (exitCode: Int32, analysis: RunAnalysis?) {
        var healthy = true
        for (id, code) in zip(cluster.vmIDs, exitCodes) where code != 0 {
            print(
                "vm\(id) exited with code \(code.map(String.init) ?? "? (killed)"); see \(cluster.directory)/vm\(id).stderr\n"
            )
            healthy = false
        }
        var result: RunAnalysis?
        do {
            let analysis = try RunAnalyzer.analyze(directory: cluster.directory, phases: phases)
            result = analysis
            let files = try AnalysisReport.write(analysis, to: cluster.directory)
            print("\n" + SummaryTable.render(analysis.summaries))
            print("\nchecks:\n" + SummaryTable.render(analysis))
            print(
                "\nreport: \(cluster.directory)/report.html (also \(files.filter { $0 != "report.html" }.joined(separator: ", ")))\n"
            )
            if !analysis.passed { healthy = false }
        } catch {
            print("cannot analyze the run: \(error)\n")
            healthy = false
        }
        return (healthy ? 0 : 1, result)
    }
}
