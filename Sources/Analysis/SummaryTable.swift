/// Renders per-VM summaries and check results as plain-text tables for the terminal.
public enum SummaryTable {
    /// One row per VM (events: internal, sends, receives; copies: sent to a connected peer,
    /// dropped, unprocessed at stop); with faults in the run (see `hasFaultColumns`), also the
    /// copies its loss faults destroyed (`lost`) and the duplicate copies it received. Above
    /// `VMGroups.threshold` VMs, one row per tick-rate group instead (see `renderGroups`).
    public static func render(_ summaries: [VMRunSummary]) -> String {
        if VMGroups.isGrouped(vmCount: summaries.count) { return renderGroups(summaries) }
        let faults = hasFaultColumns(summaries)
        let header =
            [
                "vm", "rate", "measured", "internal", "sends", "receives", "copies sent", "dropped", "unprocessed",
                "clock", "max jump", "max queue",
            ] + (faults ? ["lost", "duplicates"] : [])
        let rows = summaries.map { summary -> [String] in
            [
                String(summary.vm), summary.tickRateChanged ? "varied" : rateText(summary.configuredTickRate),
                rateText(summary.measuredTickRate),
                String(summary.internalEvents), String(summary.sendEvents), String(summary.receiveEvents),
                String(summary.messagesSent), String(summary.messagesDropped), String(summary.unprocessed),
                String(summary.finalClock), String(summary.maxJump), String(summary.maxQueue),
            ] + (faults ? [String(summary.messagesLost), String(summary.duplicatesReceived)] : [])
        }
        return table(header: header, rows: rows)
    }

    /// One row per tick-rate group (see `VMGroups`): its VMs, their median measured rate, and the
    /// final clock, largest jump, longest queue and copies dropped as p50/p90/max with the VM at
    /// the max; stays within 100 columns at 10,000 VMs.
    static func renderGroups(_ summaries: [VMRunSummary]) -> String {
        let groups = VMGroups(summaries).groups
        func cell(_ group: VMGroups.Group, _ value: (VMRunSummary) -> Double?) -> String {
            let values = group.members.compactMap { index in value(summaries[index]).map { ($0, summaries[index].vm) } }
            return Spread(values)?.compactText ?? "-"
        }
        let rows = groups.map { group -> [String] in
            [
                group.label, String(group.members.count),
                cell(group) { $0.measuredTickRate.map { ($0 * 100).rounded() / 100 } },
                cell(group) { Double($0.finalClock) }, cell(group) { Double($0.maxJump) },
                cell(group) { Double($0.maxQueue) }, cell(group) { Double($0.messagesDropped) },
            ]
        }
        return "\(summaries.count) VMs by configured tick rate; each cell p50/p90/max over the group's VMs "
            + "(the VM at the max);\nsummary.json and report.html have more.\n"
            + table(
                header: ["rate", "vms", "measured", "final clock", "max jump", "max queue", "copies dropped"],
                rows: rows)
    }

    /// Whether per-VM tables show the fault columns: some VM had a fault, lost a copy or received a
    /// duplicate.
    public static func hasFaultColumns(_ summaries: [VMRunSummary]) -> Bool {
        summaries.contains { $0.faults > 0 || $0.messagesLost > 0 || $0.duplicatesReceived > 0 }
    }

    public static func render(_ analysis: RunAnalysis) -> String {
        render(
            checks: analysis.checks, accounting: analysis.accounting, crashedVMs: analysis.crashedVMs,
            notes: analysis.cutShortLines.map(\.note)
                + (analysis.stampSkew.receivesBeforeSend > 0 ? [analysis.stampSkew.sentence] : []))
    }

    static func render(
        checks: [CheckResult], accounting: MessageAccounting, crashedVMs: [Int], notes: [String] = []
    ) -> String {
        var lines = checks.map { check in
            "\(check.passed ? "ok  " : "FAIL") \(check.name): \(check.checked) checked, \(check.failed) failed"
                + check.examples.map { "\n       \($0)" }.joined()
        }
        lines += accounting.terminalLines
        if !crashedVMs.isEmpty {
            lines.append("crashed VMs: \(crashedVMs.map(String.init).joined(separator: ", "))")
        }
        lines += notes.map { "note: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A rate for a table cell: `-` when unknown, `max` for unthrottled, whole numbers from 100
    /// up, two decimals below.
    public static func rateText(_ rate: Double?) -> String {
        guard let rate else { return "-" }
        if rate.isInfinite { return "max" }
        if rate >= 100 { return String(Int(rate.rounded())) }
        return String((rate * 100).rounded() / 100)
    }

    /// The rows under the header as a plain-text table, columns padded to their widest cell.
    public static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
