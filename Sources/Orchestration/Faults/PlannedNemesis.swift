import LamportCore
import Settings

/// A phase's nemesis (`nemesis:` in a plan, `--nemesis` of `vmserver cluster`) and where it came
/// from.
public struct PlannedNemesis: Sendable, Equatable {
    public var nemesis: Nemesis
    public var source: FaultSource

    public init(_ nemesis: Nemesis, source: FaultSource) {
        self.nemesis = nemesis
        self.source = source
    }

    /// Checks it against a cluster of `vmCount` VMs and a phase of `duration` seconds: enough VMs
    /// for its kind, and a first cycle (at `every_s`) before the phase's end.
    public func check(vmCount: Int, duration: Double) throws(SettingsError) {
        let kind = nemesis.kind
        guard vmCount >= kind.minimumVMs else {
            throw source.error(
                "kind",
                "\(kind.rawValue) needs at least \(kind.minimumVMs) VMs (\(kind.minimumReason)); the cluster has \(vmCount)"
            )
        }
        guard nemesis.everySeconds < duration else {
            throw source.error(
                "every_s",
                "the first cycle starts one cycle (\(PlannedFault.seconds(nemesis.everySeconds)) s) into the phase, "
                    + "which is not before its end (\(PlannedFault.seconds(duration)) s); make the cycle shorter")
        }
    }
}
