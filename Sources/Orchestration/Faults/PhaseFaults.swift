import LamportCore
import Settings

/// What a phase does to the VMs besides retuning them: faults set for the phase, a nemesis, and
/// planned crashes. A `vmserver cluster` run is one such phase.
public struct PhaseFaults: Sendable, Equatable {
    public var faults: [PlannedFault]
    public var nemesis: PlannedNemesis?
    public var kills: [PlannedKill]

    public init(faults: [PlannedFault] = [], nemesis: PlannedNemesis? = nil, kills: [PlannedKill] = []) {
        self.faults = faults
        self.nemesis = nemesis
        self.kills = kills
    }

    /// Whether the phase leaves the VMs alone.
    public var isEmpty: Bool { faults.isEmpty && nemesis == nil && kills.isEmpty }

    /// Checks every entry against a cluster of `vmCount` VMs and a phase of `duration` seconds.
    /// The crashes of a whole trial are checked together by `KillSchedule.check`.
    public func check(vmCount: Int, duration: Double) throws(SettingsError) {
        for fault in faults { try fault.check(vmCount: vmCount, duration: duration) }
        try nemesis?.check(vmCount: vmCount, duration: duration)
        for kill in kills { try kill.check(vmCount: vmCount, duration: duration) }
    }

    /// The phase's steps in the order they happen: each fault at its `at_s`, each kill and its
    /// restart, and each nemesis cycle (partitions both ways with `duration_s` = `for_s`, or a
    /// kill and a restart `for_s` later, at the phase's end at the latest). Nemesis cycles are
    /// drawn from `seed`, `phaseIndex` and the cycle number, so a trial's steps are the same
    /// every time it runs. With `links`, a nemesis cuts only links that exist: each VM's cut
    /// names only its neighbours (the cut of a VM with none of the other side as neighbours is
    /// left out).
    public func steps(
        vmCount: Int, duration: Double, seed: UInt64, phaseIndex: Int, links: TopologyGraph? = nil
    ) -> [FaultStep] {
        var steps: [FaultStep] = []
        for fault in faults {
            let targets = fault.vms.compactMap { vm in fault.request(for: vm).map { VMFault(vm: vm, request: $0) } }
            steps.append(FaultStep(atSeconds: fault.atSeconds, action: .faults(targets), source: fault.source))
        }
        for kill in kills {
            steps.append(FaultStep(atSeconds: kill.atSeconds, action: .kill(vm: kill.vm), source: kill.source))
            if let restart = kill.restartSeconds {
                steps.append(FaultStep(atSeconds: restart, action: .restart(vm: kill.vm), source: kill.source))
            }
        }
        if let planned = nemesis {
            let nemesis = planned.nemesis
            for (index, start) in nemesis.cycleStarts(within: duration).enumerated() {
                let cycle = nemesis.cycle(index + 1, vmCount: vmCount, seed: seed, phaseIndex: phaseIndex)
                var source = planned.source
                source.label = "nemesis \(nemesis.kind.rawValue) #\(cycle.number)"
                if let victim = cycle.victim {
                    steps.append(
                        FaultStep(atSeconds: start, action: .kill(vm: victim), source: source, cycle: cycle.number))
                    steps.append(
                        FaultStep(
                            atSeconds: min(start + nemesis.forSeconds, duration), action: .restart(vm: victim),
                            source: source, cycle: cycle.number))
                } else {
                    let cuts = cycle.cuts.keys.sorted().compactMap { vm -> VMFault? in
                        guard let cut = cycle.cuts[vm],
                            case let peers = links.map({ graph in
                                cut.filter { graph.neighbours(of: vm).contains($0) }
                            }) ?? cut,
                            !peers.isEmpty,
                            let request = try? FaultRequest(
                                kind: .partition, peers: peers, durationSeconds: nemesis.forSeconds)
                        else { return nil }
                        return VMFault(vm: vm, request: request)
                    }
                    steps.append(
                        FaultStep(
                            atSeconds: start, action: .faults(cuts), source: source, cycle: cycle.number,
                            note: cycle.summary))
                }
            }
        }
        return steps.enumerated().sorted { left, right in
            (left.element.atSeconds, left.element.rank, left.offset)
                < (right.element.atSeconds, right.element.rank, right.offset)
        }.map(\.element)
    }
}
