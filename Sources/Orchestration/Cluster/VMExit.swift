/// How a VM of a cluster ended.
public enum VMExit: Sendable, Equatable {
    /// It exited with this code (0: a clean stop).
    case code(Int32)
    /// A signal ended it, not sent by the plan (a crash, or someone's `kill`): a failure.
    case signal(Int32)
    /// It did not stop within the time given after SIGTERM and was killed (SIGKILL): a failure.
    case killedAtStop
    /// The plan killed it and did not start it again: not a failure; its log ends as a crash's.
    case killedByPlan
    /// The plan restarted it so close to the end that the stop came before it was running (its
    /// process may not have had its signal handling yet): not a failure.
    case stoppedWhileRestarting

    /// Whether this ending counts against the run.
    public var isFailure: Bool { self != .code(0) && self != .killedByPlan && self != .stoppedWhileRestarting }
}
