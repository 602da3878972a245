/// Why a VM stopped: the `reason` of its `stop` line (docs/log-format.md lists these values; the
/// raw values are the logged strings, byte for byte).
enum StopReason: String, Sendable, Equatable, CaseIterable {
    /// RUN_TIME elapsed, counted from the `start` line.
    case runTime = "run_time"
    /// SIGTERM or SIGINT.
    case signal
    /// Not every peer connected within STARTUP_TIMEOUT (the run has no `start` line).
    case startupTimeout = "startup_timeout"
    /// The Lamport clock reached the largest stamp a message may carry (a peer sent one that close).
    case clockExhausted = "clock_exhausted"
    /// Writing the event log failed (a full disk, for example).
    case logWriteFailed = "log_write_failed"

    /// The process exit code of a VM that stopped for this reason.
    var exitCode: VMExitCode {
        switch self {
        case .runTime, .signal: .clean
        case .startupTimeout: .userProblem
        case .clockExhausted, .logWriteFailed: .failure
        }
    }
}
