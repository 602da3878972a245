import Settings

/// The planned crashes of a whole trial, checked together, so that every restart can work.
///
/// A restarted VM waits for all its peers before it ticks (the coordinated start), for at most
/// its `STARTUP_TIMEOUT` (30 s in clusters this tool starts), and exits with code 2 if one does not
/// come. So a plan may not restart a VM while another one is down for longer than
/// `peerGraceSeconds` after it, nor kill a VM that is already down, nor run a `kill` nemesis
/// (which restarts its victims) while a VM is down or in a phase with `kill` entries.
public enum KillSchedule {
    /// How long after a restart every other VM must be up again: well inside the 30 s a
    /// restarted VM waits for its peers.
    public static let peerGraceSeconds = 20.0

    /// One VM down, in seconds from the trial's start.
    struct Outage {
        var vm: Int
        var start: Double
        /// `.infinity` when it stays down.
        var end: Double
        var kill: PlannedKill

        func covers(_ time: Double) -> Bool { start <= time && time < end }

        var phrase: String {
            "VM \(vm) is down then (\(kill.source.setting)"
                + (kill.restartAfterSeconds == nil ? ", not restarted)" : ", until its restart)")
        }
    }

    /// Checks the kills of phases of the given durations, in order; the error names the entry.
    public static func check(_ phases: [(duration: Double, faults: PhaseFaults)]) throws(SettingsError) {
        var outages: [Outage] = []
        var offset = 0.0
        var phaseStarts: [Double] = []
        for phase in phases {
            phaseStarts.append(offset)
            for kill in phase.faults.kills {
                outages.append(
                    Outage(
                        vm: kill.vm, start: offset + kill.atSeconds,
                        end: kill.restartSeconds.map { offset + $0 } ?? .infinity, kill: kill))
            }
            offset += phase.duration
        }
        // In order of time (ties in the plan's order), so an error names the later kill.
        outages = outages.enumerated().sorted { ($0.element.start, $0.offset) < ($1.element.start, $1.offset) }
            .map(\.element)
        for (index, outage) in outages.enumerated() {
            if let earlier = outages[..<index].first(where: { $0.vm == outage.vm && $0.covers(outage.start) }) {
                throw outage.kill.source.error("vm", earlier.phrase + "; it cannot be killed again")
            }
            guard outage.end.isFinite else { continue }
            let restart = outage.end
            if let blocking = outages.first(where: { other in
                other.vm != outage.vm && other.start < restart + 2 && other.end > restart + peerGraceSeconds
            }) {
                throw outage.kill.source.error(
                    "restart_after_s",
                    "VM \(outage.vm) restarts while VM \(blocking.vm) is down (\(blocking.kill.source.setting)"
                        + (blocking.end.isFinite
                            ? ", until \(PlannedFault.seconds(blocking.end - restart)) s later" : ", not restarted")
                        + "); a restarted VM waits for all its peers before it ticks, at most 30 s, so every other VM "
                        + "must be up within \(Int(peerGraceSeconds)) s of the restart")
            }
        }
        for (index, phase) in phases.enumerated() {
            guard let nemesis = phase.faults.nemesis, nemesis.nemesis.kind == .kill else { continue }
            if !phase.faults.kills.isEmpty {
                throw nemesis.source.error(
                    "kind", "kill cannot share a phase with kill entries: its restarts need every other VM up")
            }
            let start = phaseStarts[index]
            if let down = outages.first(where: { $0.start < start + phase.duration && $0.end > start }) {
                throw nemesis.source.error(
                    "kind", "kill needs every VM up during its phase (its restarts wait for all peers); " + down.phrase)
            }
        }
    }
}
