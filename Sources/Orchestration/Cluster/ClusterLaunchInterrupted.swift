/// Ctrl-C (SIGINT) or SIGTERM came while a cluster's VMs were being started; the ones started
/// were stopped again, and there is no run to watch or analyze.
public struct ClusterLaunchInterrupted: Error, CustomStringConvertible {
    /// VMs started before the signal (all stopped since).
    public var launched: Int
    public var total: Int

    public var description: String {
        "interrupted while starting the VMs: \(launched) of \(total) were started, and are stopped again; "
            + "no run to analyze"
    }
}
