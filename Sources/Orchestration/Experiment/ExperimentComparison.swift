import Analysis
import Foundation
import SVGCharts

/// The answer of an experiment: for each phase and trial, how big the clock jumps were, how far
/// the clocks drifted apart and how long the queues got; written as comparison.json/.md/.html.
struct ExperimentComparison {
    struct Row: Encodable {
        var phase: String
        var trial: Int
        var seed: UInt64
        var maxJump: Int
        var meanJump: Double
        var maxDrift: Int
        var meanDrift: Double
        var maxQueue: Int
        var checksPassed: Bool
    }

    let plan: ExperimentPlan
    let rows: [Row]

    init(plan: ExperimentPlan, trials: [ExperimentRunner.TrialResult]) {
        self.plan = plan
        var rows: [Row] = []
        for phase in plan.phases {
            for trial in trials {
                guard let stats = trial.phases.first(where: { $0.name == phase.name }) else { continue }
                rows.append(
                    Row(
                        phase: phase.name, trial: trial.trial, seed: trial.seed, maxJump: stats.largestJump,
                        meanJump: (stats.meanJump * 100).rounded() / 100, maxDrift: stats.maxDrift,
                        meanDrift: (stats.meanDrift * 100).rounded() / 100, maxQueue: stats.largestQueue,
                        checksPassed: trial.passed))
            }
        }
        self.rows = rows
    }

    static let header = ["phase", "trial", "max jump", "mean jump", "max drift", "mean drift", "max queue", "checks"]

    private func cells(_ row: Row) -> [String] {
        [
            row.phase, String(row.trial), String(row.maxJump), String(format: "%.2f", row.meanJump),
            String(row.maxDrift),
            String(format: "%.1f", row.meanDrift), String(row.maxQueue), row.checksPassed ? "ok" : "FAILED",
        ]
    }

    /// Per phase, the mean over trials of each trial's figure.
    private func phaseMeans() -> [[String]] {
        plan.phases.compactMap { phase in
            let matching = rows.filter { $0.phase == phase.name }
            guard !matching.isEmpty else { return nil }
            func mean(_ value: (Row) -> Double) -> String {
                String(format: "%.1f", matching.map(value).reduce(0, +) / Double(matching.count))
            }
            return [
                phase.name, String(matching.count), mean { Double($0.maxJump) }, mean(\.meanJump),
                mean { Double($0.maxDrift) }, mean(\.meanDrift), mean { Double($0.maxQueue) },
            ]
        }
    }

    func terminalTable() -> String {
        "by phase and trial:\n" + SummaryTable.table(header: Self.header, rows: rows.map(cells))
            + "\nmean over trials:\n"
            + SummaryTable.table(
                header: ["phase", "trials", "max jump", "mean jump", "max drift", "mean drift", "max queue"],
                rows: phaseMeans())
    }

    func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try encoder.encode(ComparisonDocument(experiment: plan.name, description: plan.description, rows: rows))
            .write(to: URL(fileURLWithPath: "\(directory)/comparison.json"))
        var document = ReportDocument(title: "Experiment \(plan.name)")
        if let description = plan.description { document.paragraph(description) }
        document.paragraph(
            "Each trial is a fresh cluster of \(plan.vms) VMs running the phases in order; "
                + "every trial folder (trial-N) has its own report.html.")
        document.heading("Mean over trials")
        document.table(
            ["phase", "trials", "max jump", "mean jump", "max drift", "mean drift", "max queue"], phaseMeans())
        document.heading("By phase and trial")
        document.table(Self.header, rows.map(cells))
        document.heading("Plots")
        for plot in ComparisonPlots(plan: plan, rows: rows).all {
            try plot.svg.write(toFile: "\(directory)/\(plot.file)", atomically: true, encoding: .utf8)
            document.figure(plot.caption, file: plot.file, svg: plot.svg)
        }
        try document.markdown().write(toFile: "\(directory)/comparison.md", atomically: true, encoding: .utf8)
        try document.html().write(toFile: "\(directory)/comparison.html", atomically: true, encoding: .utf8)
    }
}

private struct ComparisonDocument: Encodable {
    var experiment: String
    var description: String?
    var rows: [ExperimentComparison.Row]
}

/// Bar charts comparing phases across trials: the largest clock jump, the largest drift and the
/// longest queue, one bar per trial in each phase.
struct ComparisonPlots {
    var all: [RunPlots.Plot] = []

    init(plan: ExperimentPlan, rows: [ExperimentComparison.Row]) {
        let phases = plan.phases.map(\.name)
        let trials = Array(Set(rows.map(\.trial))).sorted()
        func chart(
            _ file: String, _ title: String, _ axis: String, _ value: (ExperimentComparison.Row) -> Double
        )
            -> RunPlots.Plot
        {
            let groups = trials.map { trial in
                BarGroup(
                    name: "trial \(trial)",
                    values: phases.map { phase in
                        rows.first { $0.trial == trial && $0.phase == phase }.map(value) ?? 0
                    })
            }
            return RunPlots.Plot(
                file: file, caption: "\(title), by phase (one bar per trial)",
                svg: BarChart(
                    title: title, xLabel: "phase", yLabel: axis, categories: phases, groups: groups, showsValues: true
                ).svg())
        }
        all = [
            chart("compare-jumps.svg", "Largest clock jump", "clock jump", { Double($0.maxJump) }),
            chart("compare-drift.svg", "Largest clock drift between VMs", "clock gap", { Double($0.maxDrift) }),
            chart("compare-queue.svg", "Longest queue", "messages", { Double($0.maxQueue) }),
        ]
    }
}
