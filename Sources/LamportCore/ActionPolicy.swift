/// What a VM does on a tick when its queue is empty.
public enum IdleAction: Sendable, Equatable {
    case internalEvent
    /// One send event addressed to these peers (one clock increment, one timestamp for all).
    case send(to: [Int])
}

/// Maps a roll of `1...maxAction` to an idle action, generalising the classic 3-VM exercise.
///
/// With `N` VMs in the cluster (this VM's peers plus itself), peers ordered by id:
/// a roll `r` in `1...N-1` sends to peer number `r`, `r == N` sends to all peers, and
/// anything larger is an internal event. For 3 VMs that is the classic mapping:
/// 1 = first peer, 2 = second peer, 3 = both, 4...10 = internal.
public struct ActionPolicy: Sendable, Equatable {
    /// The other VMs' ids, ascending.
    public let peers: [Int]

    public init(peers: [Int]) {
        self.peers = peers.sorted()
    }

    /// Cluster size `N` the mapping is built for.
    public var clusterSize: Int { peers.count + 1 }

    /// The action for a roll (any integer; values outside `1...N` are internal events).
    public func action(forRoll roll: Int) -> IdleAction {
        guard !peers.isEmpty else { return .internalEvent }
        if roll >= 1 && roll < clusterSize {
            return .send(to: [peers[roll - 1]])
        }
        if roll == clusterSize {
            return .send(to: peers)
        }
        return .internalEvent
    }
}
