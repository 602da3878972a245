/// Renders per-VM summaries and check results as plain-text tables for the terminal.
public enum SummaryTable {
    /// One row per VM; with faults in the run (see `hasFaultColumns`), also the copies its loss
    /// faults destroyed (`lost`) and the duplicates it received.
    public static func render(_ summaries: [VMRunSummary]) -> String {
        let faults = hasFaultColumns(summaries)
        let header =
            [
                "vm", "rate", "measured", "internal", "send", "receive", "sent", "dropped", "unprocessed", "clock",
                "max jump", "max queue",
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
        lines.append(
            "messages: \(accounting.sent) sent, \(accounting.received) received, \(accounting.unprocessed) unprocessed, "
                + "\(accounting.dropped) dropped, \(accounting.lostToFault) lost to a fault, "
                + "\(accounting.lostToCrash) lost to a crash, "
                + (accounting.lostWithLink > 0 ? "\(accounting.lostWithLink) lost with a broken link, " : "")
                + "\(accounting.duplicated) duplicated, "
                + "\(accounting.unaccounted) unaccounted")
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
