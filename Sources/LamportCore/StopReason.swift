/// Why a VM stopped: the `reason` of its `stop` line (docs/log-format.md lists these values; the
/// raw values are the logged strings, byte for byte).
///
/// The core only logs the reason; what it means for the process (its exit code) is the runtime's
/// to say.
public enum StopReason: String, Sendable, Equatable, CaseIterable {
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
}
