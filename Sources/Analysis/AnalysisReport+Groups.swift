import Foundation

/// The report's sections for a run of more than `VMGroups.threshold` VMs: one row per tick-rate
/// group instead of one per VM, each figure as p50 / p90 / max over the group's VMs with the VM at
/// the max named (summary.json keeps every VM).
extension AnalysisReport {
    static func groupSections(_ analysis: RunAnalysis, into document: inout ReportDocument) {
        let groups = VMGroups(analysis.summaries).groups
        let summaries = analysis.summaries
        func spread(_ group: VMGroups.Group, _ value: (VMRunSummary) -> Double?) -> String {
            Spread(group.members.compactMap { index in value(summaries[index]).map { ($0, summaries[index].vm) } })?
                .text() ?? "-"
        }
        document.heading("Per tick-rate group")
        document.paragraph(
            "\(summaries.count) VMs, more than \(VMGroups.threshold): one row per group of VMs with the same "
                + "configured tick rate (rounded to a whole number per second"
                + (groups.contains { $0.label.contains("-") } ? ", neighbouring rates merged into bands" : "")
                + "; varied: the rate changed during the run). Each cell is p50 / p90 / max over the group's VMs, "
                + "with the VM at the max; summary.json lists every VM.")
        document.table(
            ["rate", "vms", "measured", "internal events", "send events", "receive events", "final clock", "stopped"],
            groups.map { group in
                let members = group.members.map { summaries[$0] }
                let stopped = members.filter { $0.stopReason != nil }.count
                return [
                    group.label, String(members.count), spread(group) { $0.measuredTickRate },
                    spread(group) { Double($0.internalEvents) }, spread(group) { Double($0.sendEvents) },
                    spread(group) { Double($0.receiveEvents) }, spread(group) { Double($0.finalClock) },
                    stopped == members.count
                        ? "all" : "\(stopped) (no stop line: " + names(members.filter { $0.stopReason == nil }) + ")",
                ]
            })
        document.heading("Clock jumps")
        document.paragraph(
            jumpDefinition + " Per group, the jumps of all its VMs together; max names the VM it happened on.")
        document.table(
            ["rate", "vms", "receives", "jumps", "mean", "p50", "p90", "p99", "max"],
            groups.map { group in
                var merged = JumpHistogram()
                for index in group.members { merged.merge(summaries[index].jumps) }
                let top = group.members.max { (summaries[$0].maxJump, -$0) < (summaries[$1].maxJump, -$1) }
                return [
                    group.label, String(group.members.count), String(merged.receives), String(merged.jumps),
                    String(format: "%.2f", merged.mean), String(merged.percentile(0.5)),
                    String(merged.percentile(0.9)), String(merged.percentile(0.99)),
                    String(merged.largest) + (top.map { " (VM \(summaries[$0].vm))" } ?? ""),
                ]
            })
        document.heading("Queues and messages")
        let faultColumns = SummaryTable.hasFaultColumns(summaries)
        document.table(
            [
                "rate", "vms", "max queue", "mean queue", "copies addressed", "copies sent", "copies dropped",
                "copies received", "unprocessed at stop",
            ] + (faultColumns ? ["lost to a fault", "duplicate copies"] : []),
            groups.map { group in
                [
                    group.label, String(group.members.count), spread(group) { Double($0.maxQueue) },
                    spread(group) { $0.meanQueue }, spread(group) { Double($0.copiesAddressed) },
                    spread(group) { Double($0.messagesSent) }, spread(group) { Double($0.messagesDropped) },
                    spread(group) { Double($0.copiesReceived) }, spread(group) { Double($0.copiesUnprocessedAtStop) },
                ]
                    + (faultColumns
                        ? [spread(group) { Double($0.messagesLost) }, spread(group) { Double($0.duplicatesReceived) }]
                        : [])
            })
        document.paragraph(copiesDefinition(faultColumns: faultColumns) + " Per VM, as p50 / p90 / max.")
        phaseGroups(analysis, groups: groups, into: &document)
    }

    /// Rate phases per group: how many, how many checkable and within 1 %, the measured rate's
    /// spread, and the VMs of the phases that missed.
    private static func phaseGroups(
        _ analysis: RunAnalysis, groups: [VMGroups.Group], into document: inout ReportDocument
    ) {
        document.heading("Tick rates by phase")
        document.paragraph(phaseDefinition + " Per group: the phases of its VMs.")
        var groupOfVM: [Int: Int] = [:]
        for (number, group) in groups.enumerated() {
            for index in group.members { groupOfVM[analysis.summaries[index].vm] = number }
        }
        var phasesOfGroup = Array(repeating: [RatePhase](), count: groups.count)
        for phase in analysis.phases {
            if let number = groupOfVM[phase.vm] { phasesOfGroup[number].append(phase) }
        }
        document.table(
            ["rate", "phases", "paused", "checkable", "within 1%", "measured", "missed (VMs)"],
            zip(groups, phasesOfGroup).map { group, phases in
                let checkable = phases.filter(\.isCheckable)
                let missed = checkable.filter { !$0.isWithin(RunAnalyzer.rateTolerance) }
                let measured = Spread(phases.compactMap { phase in phase.measuredRate.map { ($0, phase.vm) } })
                return [
                    group.label, String(phases.count), String(phases.filter { $0.configuredRate == nil }.count),
                    String(checkable.count), String(checkable.count - missed.count), measured?.text() ?? "-",
                    missed.isEmpty ? "-" : vmList(missed.map(\.vm)),
                ]
            })
    }

    /// "VMs 3, 17, 40 and 12 more".
    static func vmList(_ vms: [Int], limit: Int = 5) -> String {
        let unique = Array(Set(vms)).sorted()
        let shown = unique.prefix(limit).map(String.init).joined(separator: ", ")
        return (unique.count == 1 ? "VM " : "VMs ") + shown
            + (unique.count > limit ? " and \(unique.count - limit) more" : "")
    }

    private static func names(_ summaries: [VMRunSummary]) -> String {
        vmList(summaries.map(\.vm))
    }
}
