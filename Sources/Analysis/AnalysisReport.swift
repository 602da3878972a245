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
            "Messages: \(accounting.sent) sent, \(accounting.received) received, \(accounting.unprocessed) still queued "
                + "at the stop (unprocessed), \(accounting.dropped) dropped (recipient down), \(accounting.lostToFault) "
                + "lost to a fault, \(accounting.lostToCrash) lost to a crash, \(accounting.lostWithLink) lost with a "
                + "broken link (written into a link that was already dead), \(accounting.unaccounted) unaccounted; "
                + "\(accounting.duplicated) duplicated (extra copies made by a fault)."
                + crashedNote(analysis.crashedVMs))
        for line in analysis.cutShortLines { document.paragraph("Note: \(line.note).") }
        document.paragraph(analysis.stampSkew.sentence)
        faultSections(analysis, into: &document)
        document.heading("Per VM")
        document.table(
            ["vm", "rate", "measured", "internal", "send", "receive", "final clock", "stop"],
            analysis.summaries.map { summary in
                [
                    String(summary.vm), SummaryTable.rateText(summary.configuredTickRate),
                    SummaryTable.rateText(summary.measuredTickRate), String(summary.internalEvents),
                    String(summary.sendEvents), String(summary.receiveEvents), String(summary.finalClock),
                    summary.stopReason ?? "(none: crashed?)",
                ]
            })
        document.heading("Clock jumps")
        document.paragraph(
            "A jump is how far a receive moved the clock beyond the usual +1 (max(local, message) + 1 - (local + 1)).")
        document.table(
            ["vm", "receives", "jumps", "mean", "p50", "p90", "p99", "max"],
            analysis.summaries.map { summary in
                let jumps = summary.jumps
                return [
                    String(summary.vm), String(jumps.receives), String(jumps.jumps), String(format: "%.2f", jumps.mean),
                    String(jumps.percentile(0.5)), String(jumps.percentile(0.9)), String(jumps.percentile(0.99)),
                    String(jumps.largest),
                ]
            })
        document.heading("Queues and messages")
        let faultColumns = SummaryTable.hasFaultColumns(analysis.summaries)
        document.table(
            ["vm", "max queue", "mean queue", "final queue", "sent", "received", "unprocessed", "dropped"]
                + (faultColumns ? ["lost to a fault", "duplicates received"] : []),
            analysis.summaries.map { summary in
                [
                    String(summary.vm), String(summary.maxQueue), String(format: "%.2f", summary.meanQueue),
                    String(summary.unprocessed), String(summary.messagesSent), String(summary.receiveEvents),
                    String(summary.unprocessed), String(summary.messagesDropped),
                ] + (faultColumns ? [String(summary.messagesLost), String(summary.duplicatesReceived)] : [])
            })
        if faultColumns {
            document.paragraph(
                "Per VM, sent counts the copies it addressed to a peer and did not drop, lost ones included; lost to "
                    + "a fault: those a loss fault of this VM destroyed; duplicates received: the extra copies this "
                    + "VM logged (receive or unprocessed), which the received and unprocessed columns include.")
        }
        document.heading("Tick rates by phase")
        document.paragraph(
            "A phase starts at a VM's start, at each change of its rate or pause (a config line), and where a "
                + "clock_skew fault starts or ends (its times jump there).")
        document.table(
            ["vm", "configured", "measured", "ticks", "within 1%"],
            analysis.phases.map { phase in
                [
                    String(phase.vm), phase.configuredRate.map { SummaryTable.rateText($0) } ?? "paused",
                    SummaryTable.rateText(phase.measuredRate), String(phase.ticks),
                    phase.isCheckable ? (phase.isWithin(RunAnalyzer.rateTolerance) ? "yes" : "NO") : "-",
                ]
            })
        let concurrency = analysis.concurrency
        document.heading("Lamport order and causality")
        document.paragraph(
            "Vector clocks rebuilt from the logs give the real causality. Of \(concurrency.events) tick events, "
                + "\(concurrency.causalPairs) pairs are causally ordered and \(concurrency.concurrentPairs) are "
                + "concurrent. The Lamport clocks put \(concurrency.orderedButConcurrentPairs) concurrent pairs "
                + "(\(String(format: "%.1f", concurrency.orderedButConcurrentShare * 100)) %) in an order that causality "
                + "does not give; \(concurrency.tiedPairs) pairs have equal clocks.")
        document.heading("Plots")
        for plot in plots.all { document.figure(plot.caption, file: plot.file, svg: plot.svg) }
        return document
    }
}
