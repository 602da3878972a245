/// Where a running VM is in its life, as the control plane shows it (`state` of `GET /status`).
/// The runtime derives it from its node's state and the tuning's `paused`.
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
