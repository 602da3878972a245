import Analysis
import Foundation

/// The end of a cluster run: how each VM ended, then the analysis written into the run folder and
/// the summary and checks printed.
enum ClusterReport {
    /// The exit code is 0 when every VM stopped cleanly (or was killed by the plan and left down)
    /// and every check passed, else 1; the analysis is nil when the logs could not be read.
    static func finish(
        _ cluster: LocalCluster, exits: [VMExit], phases: [PhaseWindow], print: @Sendable (String) -> Void
    ) -> (exitCode: Int32, analysis: RunAnalysis?) {
        var healthy = true
        for (id, exit) in zip(cluster.vmIDs, exits) {
            switch exit {
            case .code(0):
                continue
            case .killedByPlan:
                print("vm\(id) was killed by the plan and not restarted: its log ends there, as after a crash\n")
            case .stoppedWhileRestarting:
                print("vm\(id) was restarted by the plan just before the end and stopped before it was running\n")
            case .code(let code):
                print("vm\(id) exited with code \(code); see \(cluster.directory)/vm\(id).stderr\n")
            case .signal(let signal):
                print(
                    "vm\(id) was ended by signal \(signal), not by the plan; see \(cluster.directory)/vm\(id).stderr\n")
            case .killedAtStop:
                print("vm\(id) did not stop within 15 s and was killed; see \(cluster.directory)/vm\(id).stderr\n")
            }
            if exit.isFailure { healthy = false }
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
