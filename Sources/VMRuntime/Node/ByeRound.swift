import LamportCore
import NIOCore

/// The stop protocol under way (owned by `NodeState.stopping`): why the VM stops, what to tell the
/// person running it, and which peers have yet to acknowledge its `bye` (docs/protocol.md).
///
/// The round ends when every peer acknowledged or closed its link, or at `VMNode.byeTimeout`;
/// then the node writes the `unprocessed` lines and the `stop` line with `reason`.
struct ByeRound {
    let reason: StopReason
    /// For standard error, nil for a normal stop.
    let problem: String?
    /// Peers whose `bye_ack` (or closed link) is still awaited.
    private(set) var awaiting: Set<Int>
    /// Ends the round when the peers take too long; nil until armed.
    var timeout: Scheduled<Void>?

    init(reason: StopReason, problem: String?, awaiting: Set<Int>) {
        self.reason = reason
        self.problem = problem
        self.awaiting = awaiting
    }

    /// `peer` acknowledged, or its link is gone.
    mutating func acknowledged(by peer: Int) {
        awaiting.remove(peer)
    }

    /// Whether no peer is awaited any more.
    var isComplete: Bool { awaiting.isEmpty }

    /// How the run ends.
    var outcome: StopOutcome { StopOutcome(reason: reason, problem: problem) }
}
