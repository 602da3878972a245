import Foundation

/// The report's parts about faults, present only for a run that had some: the "Faults" section
/// (what was active, when, how it ended) and "Messages by link" (each link's accounting, shown
/// too when a run without faults lost messages to a crash or with a broken link).
extension AnalysisReport {
    /// More links than this are shown only when something besides receiving happened on them.
    static let linkRowLimit = 60

    static func faultSections(_ analysis: RunAnalysis, into document: inout ReportDocument) {
        guard !analysis.faults.isEmpty else {
            if analysis.accounting.lostToCrash + analysis.accounting.lostWithLink > 0 {
                linkSection(analysis, into: &document)
            }
            return
        }
        let faults = analysis.faults
        func seconds(_ time: Int64) -> String { String(format: "%.1f", Double(time - analysis.start) / 1_000_000) }
        document.heading("Faults")
        let list = faults.map { "\($0.label) from \(seconds($0.start)) s to \(seconds($0.end)) s" }
        document.paragraph(
            "\(faults.count == 1 ? "One fault was" : "\(faults.count) faults were") active during the run: "
                + list.joined(separator: ", ")
                + ". Times are seconds since the first log line, as in the clock, queue and drift plots"
                + (faults.contains { $0.kind == "clock_skew" }
                    ? "; a clock_skew fault shifts its VM's time stamps (its own start included) while it is active."
                    : "."))
        document.table(
            ["vm", "id", "kind", "parameters", "acts on", "from (s)", "to (s)", "how it ended"],
            faults.map { fault in
                [
                    String(fault.vm), String(fault.id), fault.kind, fault.parameters, actsOn(fault),
                    seconds(fault.start), seconds(fault.end), fault.endingText,
                ]
            })
        linkSection(analysis, into: &document)
    }

    /// What the fault acts on: "messages to VM 2", "... to VMs 2, 3", "... to every peer" (it
    /// named none), or, for a clock_skew, "its time stamps".
    static func actsOn(_ fault: FaultInterval) -> String {
        if fault.kind == "clock_skew" { return "its time stamps" }
        guard let peers = fault.peers, !peers.isEmpty else { return "messages to every peer" }
        return "messages to " + (peers.count == 1 ? "VM " : "VMs ") + peers.map(String.init).joined(separator: ", ")
    }

    private static func linkSection(_ analysis: RunAnalysis, into document: inout ReportDocument) {
        document.heading("Messages by link")
        let quiet = { (link: LinkAccounting.Link) in
            link.messages.received + link.messages.unprocessed == link.messages.sent && link.messages.duplicated == 0
        }
        let shown = analysis.links.count > linkRowLimit ? analysis.links.filter { !quiet($0) } : analysis.links
        document.paragraph(
            "Each copy of a message on its link, sender → recipient (a message to all counts once per recipient): "
                + "addressed = sent (to a connected peer) + dropped (recipient down), and addressed = received + "
                + "unprocessed at stop + dropped + lost to a fault + lost to a crash + lost with a broken link "
                + "+ unaccounted; duplicate copies are extra copies on top (the names summary.json uses)."
                + (shown.count < analysis.links.count
                    ? " The \(analysis.links.count - shown.count) links on which every copy was received or left "
                        + "unprocessed are not shown (summary.json lists every link)." : ""))
        let total = analysis.links.reduce(into: MessageAccounting()) { $0.add($1.messages) }
        document.table(
            [
                "link", "addressed", "sent", "received", "unprocessed at stop", "dropped", "lost to a fault",
                "lost to a crash", "lost with the link", "duplicate copies", "unaccounted",
            ],
            shown.map { linkRow("\($0.from) → \($0.to)", $0.messages) } + [linkRow("all links", total)])
    }

    private static func linkRow(_ name: String, _ counts: MessageAccounting) -> [String] {
        [name]
            + [
                counts.sent, counts.sentToPeers, counts.received, counts.unprocessed, counts.dropped,
                counts.lostToFault,
                counts.lostToCrash, counts.lostWithLink, counts.duplicated, counts.unaccounted,
            ].map(String.init)
    }
}
