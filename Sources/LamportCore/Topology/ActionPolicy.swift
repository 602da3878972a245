/// What a VM does on a tick when its queue is empty.
public enum IdleAction: Sendable, Equatable {
    case internalEvent
    /// One send event addressed to these peers (one clock increment, one timestamp for all).
    case send(to: [Int])
}

/// Maps a roll of `1...maxAction` to an idle action, generalising the classic 3-VM exercise.
///
/// With `K` neighbours (the VMs this one is linked to in the topology; every other VM in a full
/// one), ordered by id: a roll `r` in `1...K` sends to neighbour number `r`, `r == K + 1` sends
/// to all neighbours, and anything larger is an internal event. For 3 VMs that is the classic
/// mapping: 1 = first peer, 2 = second peer, 3 = both, 4...10 = internal.
public struct ActionPolicy: Sendable, Equatable {
    /// The neighbours' ids, ascending.
    public let peers: [Int]

    /// The MAX_ACTION that keeps the classic exercise's share of internal events (7 rolls in 10)
    /// for `neighbourCount` neighbours: max(10, ceil(10 (K + 1) / 3)), so 10 for 2 neighbours.
    public static func defaultMaxAction(neighbourCount: Int) -> Int {
        max(10, (10 * (neighbourCount + 1) + 2) / 3)
    }

    /// The smallest MAX_ACTION that reaches every action (each neighbour, and all of them).
    public static func minimumMaxAction(neighbourCount: Int) -> Int {
        neighbourCount + 1
    }

    public init(peers: [Int]) {
        self.peers = peers.sorted()
    }

    /// The number of actions that send (`K + 1`: each neighbour, then all of them).
    public var sendingActions: Int { peers.count + 1 }

    /// The action for a roll (any integer; values outside `1...K+1` are internal events).
    public func action(forRoll roll: Int) -> IdleAction {
        guard !peers.isEmpty else { return .internalEvent }
        if roll >= 1 && roll < sendingActions {
            return .send(to: [peers[roll - 1]])
        }
        if roll == sendingActions {
            return .send(to: peers)
        }
        return .internalEvent
    }
}
