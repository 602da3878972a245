import Settings

/// A crash a plan (or `vmserver cluster --kill`) causes: VM `vm` gets SIGKILL `atSeconds` into
/// the phase and, with `restartAfterSeconds`, is started again that much later with the same
/// settings and `LOG_DIR` (its log continues); without, it stays down until the trial ends.
public struct PlannedKill: Sendable, Equatable {
    public var vm: Int
    public var atSeconds: Double
    public var restartAfterSeconds: Double?
    public var source: FaultSource

    public init(vm: Int, atSeconds: Double, restartAfterSeconds: Double?, source: FaultSource) {
        self.vm = vm
        self.atSeconds = atSeconds
        self.restartAfterSeconds = restartAfterSeconds
        self.source = source
    }

    /// When it restarts, in seconds into the phase; nil when it stays down.
    public var restartSeconds: Double? { restartAfterSeconds.map { atSeconds + $0 } }

    /// The shortest `restart_after_s`: a tenth of a second.
    public static let minimumRestartSeconds = 0.1

    /// Checks it against a cluster of `vmCount` VMs and a phase of `duration` seconds: the VM is
    /// one of them, the kill falls within the phase, and so does the restart (at its end at the
    /// latest).
    public func check(vmCount: Int, duration: Double) throws(SettingsError) {
        guard (1...vmCount).contains(vm) else { throw source.error("vm", "VM \(vm) is not one of 1-\(vmCount)") }
        let phase = PlannedFault.seconds(duration)
        guard atSeconds >= 0, atSeconds < duration else {
            throw source.error(
                "at_s",
                "expected seconds from 0 to below the phase's \(phase) s; got \(PlannedFault.seconds(atSeconds))")
        }
        if let restartAfterSeconds {
            guard restartAfterSeconds >= Self.minimumRestartSeconds, atSeconds + restartAfterSeconds <= duration else {
                throw source.error(
                    "restart_after_s",
                    "expected from 0.1 s up to the phase's end (\(phase) s in, so at most "
                        + "\(PlannedFault.seconds(duration - atSeconds)) s after at_s); got "
                        + "\(PlannedFault.seconds(restartAfterSeconds)); leave it out to keep VM \(vm) down")
            }
        }
    }
}
