import EventLog
import Foundation
import SVGCharts

/// Writes a run's analysis into its folder: `summary.json`, `report.md`, `report.html` (plots
/// inline) and the plots as SVG files.
public enum AnalysisReport {
    /// Writes every file and returns their names.
    @discardableResult
    public static func write(_ analysis: RunAnalysis, to directory: String) throws -> [String] {
        let plots = RunPlots(analysis)
        var written: [String] = []
        for plot in plots.all {
            try plot.svg.write(toFile: "\(directory)/\(plot.file)", atomically: true, encoding: .utf8)
            written.append(plot.file)
        }
        try SummaryDocument(analysis, plots: written).encoded().write(
            to: URL(fileURLWithPath: "\(directory)/summary.json"))
        let document = document(analysis, plots: plots)
        try document.markdown().write(toFile: "\(directory)/report.md", atomically: true, encoding: .utf8)
        try document.html(appendix: explorer(analysis)).write(
            toFile: "\(directory)/report.html", atomically: true, encoding: .utf8)
        return written + ["summary.json", "report.md", "report.html"]
    }

    /// The explorable diagram of the whole run, or a paragraph saying why it is left out.
    static func explorer(_ analysis: RunAnalysis) -> String {
        let tickEvents = analysis.summaries.reduce(0) { $0 + $1.internalEvents + $1.sendEvents + $1.receiveEvents }
        guard tickEvents <= ExplorerSection.maximumEvents else {
            let note = ExplorerSection.tooManyNote(events: tickEvents, limit: ExplorerSection.maximumEvents)
            return "<p>\(XMLText.escaped(note))</p>\n"
        }
        let files = analysis.vmIDs.map { (vm: $0, path: LogFileName.path(vmID: $0, in: analysis.directory)) }
        let reading: ExplorerEvents.Reading
        do {
            reading = try ExplorerEvents.read(files: files, limit: ExplorerSection.maximumEvents)
        } catch {
            return "<p>The explorable diagram is left out: \(XMLText.escaped(error.message))</p>\n"
        }
        switch reading {
        case .tooMany(let events, let limit):
            return "<p>\(XMLText.escaped(ExplorerSection.tooManyNote(events: events, limit: limit)))</p>\n"
        case .events(let events):
            let labels = analysis.summaries.map { summary in
                "VM \(summary.vm) · "
                    + (summary.tickRateChanged
                        ? "varied"
                        : summary.configuredTickRate.map { rate in
                            (rate == rate.rounded() && rate < 1e9 ? String(Int(rate)) : String(rate)) + "/s"
                        } ?? "-")
            }
            return ExplorerSection(
                events: events, labels: labels, phases: analysis.phaseWindows, faults: analysis.faults
            ).html
        }
    }

    private static func crashedNote(_ crashed: [Int]) -> String {
        crashed.isEmpty ? "" : " Crashed VMs: \(crashed.map(String.init).joined(separator: ", "))."
    }

    static func document(_ analysis: RunAnalysis, plots: RunPlots) -> ReportDocument {
        var document = ReportDocument(title: "Run report: \(analysis.directory)")
        let drift = analysis.drift
        let accounting = analysis.accounting
        document.paragraph(
            "\(analysis.vmIDs.count) VMs, \(String(format: "%.1f", analysis.durationSeconds)) s, "
                + "\(analysis.lines) log lines. Checks: \(analysis.passed ? "all passed" : "SOME FAILED"). "
                + "Largest clock gap between VMs: \(drift.largest) (mean \(String(format: "%.1f", drift.mean))).")
        document.heading("Checks")
        document.table(
            ["check", "result", "checked", "failed", "what it asserts"],
            analysis.checks.map { check in
                [
                    check.name, check.passed ? "ok" : "FAILED", String(check.checked), String(check.failed),
                    check.summary,
                ]
            })
        for check in analysis.checks where !check.passed {
            document.paragraph(
                "\(check.name) failures (first \(check.examples.count)): " + check.examples.joined(separator: "; "))
        }
        document.paragraph(
            "Messages, counted in copies (a message to k peers is k copies): " + accounting.sentence + "."
                + crashedNote(analysis.crashedVMs))
        for line in analysis.cutShortLines { document.paragraph("Note: \(line.note).") }
        document.paragraph(analysis.stampSkew.sentence)
        faultSections(analysis, into: &document)
        if VMGroups.isGrouped(vmCount: analysis.summaries.count) {
            groupSections(analysis, into: &document)
        } else {
            vmSections(analysis, into: &document)
        }
        let concurrency = analysis.concurrency
        document.heading("Lamport order and causality")
        document.paragraph(
            "Vector clocks rebuilt from the logs give the real causality. Of \(concurrency.events) tick events, "
                + "\(concurrency.causalPairs) pairs are causally ordered and \(concurrency.concurrentPairs) are "
                + "concurrent. The Lamport clocks put \(concurrency.orderedButConcurrentPairs) concurrent pairs "
                + "(\(String(format: "%.1f", concurrency.orderedButConcurrentShare * 100)) %) in an order that causality "
                + "does not give; \(concurrency.tiedPairs) pairs have equal clocks."
                + (concurrency.estimated ? " " + concurrency.methodSentence : ""))
        document.heading("Plots")
        for plot in plots.all { document.figure(plot.caption, file: plot.file, svg: plot.svg) }
        return document
    }
}
