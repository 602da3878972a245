/// Where a running VM is in its life.
public enum VMState: String, Sendable, Equatable {
    /// Listening and dialing; ticking starts once all TOTAL_VMS - 1 peers are connected.
    case waitingForPeers = "waiting_for_peers"
    case running
    /// Connected but not ticking (set through the control plane); messages still queue up.
    case paused
    /// Said goodbye to its peers and is waiting for their acknowledgements.
    case stopping
    case stopped
}

/// How a VM's run ended: the process exit code and the reason written on the `stop` line.
public struct StopOutcome: Sendable, Equatable {
    public var exitCode: Int32
    public var reason: String
    /// A message for the person running the VM, printed on standard error (nil for a normal stop).
    public var problem: String?
}
