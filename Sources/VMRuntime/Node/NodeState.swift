import LamportCore
import NIOCore

/// Where a `VMNode` is in its life, with what each stage owns. The node moves one way only:
///
///     idle ──► waitingForPeers ──► ticking ──► stopping ──► stopped
///       │         │                               ▲ ▲          ▲
///       │         └───────────────────────────────┘ │          │
///       ├───────────────────────────────────────────┘          │
///       └──────────────────────────────────────────────────────┘
///
/// (`idle` to `stopping`: a signal before the listener is bound, `VMNode.stop`; `idle` to
/// `stopped`: the listener could not bind, `VMNode.abandon`.) Every move goes through
/// `VMNode.enter`, which cancels the timer the state left owns (`cancelTimer`). The control plane
/// sees `VMState`, derived by `visible`.
enum NodeState {
    /// Built; the peer listener is not bound yet.
    case idle
    /// Listening and dialing until every peer of the cluster is linked; `startupTimeout` stops the
    /// VM if that takes longer than STARTUP_TIMEOUT.
    case waitingForPeers(startupTimeout: Scheduled<Void>)
    /// The `start` line is written. The loop ticks unless the tuning says paused; `runTimeLimit`
    /// stops the VM once RUN_TIME has passed (nil without RUN_TIME).
    case ticking(TickLoop, runTimeLimit: Scheduled<Void>?)
    /// `bye` went to every peer; the round waits for their acknowledgements.
    case stopping(ByeRound)
    /// The `stop` line is written and the log closed.
    case stopped

    /// The state `/status` shows. Whether a ticking VM is paused is the tuning's to say
    /// (`VMTuning.paused`, the one source of truth).
    func visible(paused: Bool) -> VMState {
        switch self {
        case .idle, .waitingForPeers: .waitingForPeers
        case .ticking: paused ? .paused : .running
        case .stopping: .stopping
        case .stopped: .stopped
        }
    }

    /// Whether the stop protocol runs.
    var isStopping: Bool {
        if case .stopping = self { true } else { false }
    }

    /// Whether the VM is done.
    var isStopped: Bool {
        if case .stopped = self { true } else { false }
    }

    /// Whether the VM is stopping or stopped.
    var isEnding: Bool { isStopping || isStopped }

    /// Cancels the timer this state owns; `VMNode.enter` calls it as the node leaves the state.
    func cancelTimer() {
        switch self {
        case .waitingForPeers(let startupTimeout): startupTimeout.cancel()
        case .ticking(_, let runTimeLimit): runTimeLimit?.cancel()
        case .stopping(let round): round.timeout?.cancel()
        case .idle, .stopped: break
        }
    }
}
