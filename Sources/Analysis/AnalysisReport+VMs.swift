import Foundation

/// The report's per-VM sections (a run of up to `VMGroups.threshold` VMs): one row per VM in the
/// event, jump, queue and phase tables.
extension AnalysisReport {
    static func vmSections(_ analysis: RunAnalysis, into document: inout ReportDocument) {
        document.heading("Per VM")
        document.table(
            [
                "vm", "rate", "measured", "internal events", "send events", "receive events", "final clock", "stop",
            ],
            analysis.summaries.map { summary in
                [
                    String(summary.vm), SummaryTable.rateText(summary.configuredTickRate),
                    SummaryTable.rateText(summary.measuredTickRate), String(summary.internalEvents),
                    String(summary.sendEvents), String(summary.receiveEvents), String(summary.finalClock),
                    summary.stopReason ?? "(none: crashed?)",
                ]
            })
        document.heading("Clock jumps")
        document.paragraph(jumpDefinition)
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
            [
                "vm", "max queue", "mean queue", "copies addressed", "copies sent", "copies dropped", "copies received",
                "unprocessed at stop",
            ] + (faultColumns ? ["lost to a fault", "duplicate copies"] : []),
            analysis.summaries.map { summary in
                [
                    String(summary.vm), String(summary.maxQueue), String(format: "%.2f", summary.meanQueue),
                    String(summary.copiesAddressed), String(summary.messagesSent), String(summary.messagesDropped),
                    String(summary.copiesReceived), String(summary.copiesUnprocessedAtStop),
                ] + (faultColumns ? [String(summary.messagesLost), String(summary.duplicatesReceived)] : [])
            })
        document.paragraph(copiesDefinition(faultColumns: faultColumns))
        document.heading("Tick rates by phase")
        document.paragraph(phaseDefinition)
        document.table(
            ["vm", "configured", "measured", "ticks", "within 1%"],
            analysis.phases.map { phase in
                [
                    String(phase.vm), phase.configuredRate.map { SummaryTable.rateText($0) } ?? "paused",
                    SummaryTable.rateText(phase.measuredRate), String(phase.ticks),
                    phase.isCheckable ? (phase.isWithin(RunAnalyzer.rateTolerance) ? "yes" : "NO") : "-",
                ]
            })
    }

    static let jumpDefinition =
        "A jump is how far a receive moved the clock beyond the usual +1 (max(local, message) + 1 - (local + 1))."

    static let phaseDefinition =
        "A phase starts at a VM's start, at each change of its rate or pause (a config line), and where a "
        + "clock_skew fault starts or ends (its times jump there)."

    /// What the queue table's message columns count (the names summary.json uses).
    static func copiesDefinition(faultColumns: Bool) -> String {
        "Copies, one per recipient. As a sender: addressed = sent (to a connected peer"
            + (faultColumns ? ", those a loss fault destroyed included" : "") + ") + dropped (recipient down). "
            + "As a recipient: received, and unprocessed at stop (still queued when it stopped)"
            + (faultColumns
                ? ". Lost to a fault: copies a loss fault of this VM destroyed; duplicate copies: the extra copies "
                    + "a duplicate fault made that this VM logged, in neither received nor unprocessed." : ".")
    }
}
