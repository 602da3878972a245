import LamportCore

/// How a VM's run ended: the process exit code, the reason on its `stop` line, and what to tell
/// the person running it.
struct StopOutcome: Sendable, Equatable {
    var exitCode: VMExitCode
    /// The reason written on the `stop` line; nil when the VM ended before it could write one (its
    /// log, listener or control plane could not be set up, or an unexpected error).
    var reason: StopReason?
    /// A message for the person running the VM, printed on standard error (nil for a normal stop).
    var problem: String?

    /// A VM that stopped for `reason` (exit code as the reason implies).
    init(reason: StopReason, problem: String? = nil) {
        self.exitCode = reason.exitCode
        self.reason = reason
        self.problem = problem
    }

    /// A VM that ended without a `stop` line.
    init(exitCode: VMExitCode, problem: String?) {
        self.exitCode = exitCode
        self.reason = nil
        self.problem = problem
    }
}
