/// The exit code of a `vmserver run` process (README and docs/architecture.md document them); the
/// raw value is what the process exits with.
public enum VMExitCode: Int32, Sendable, Equatable {
    /// A clean stop: RUN_TIME, SIGTERM or SIGINT.
    case clean = 0
    /// Anything else that went wrong: the log could not be written during the run, the clock ran
    /// out, an unexpected error.
    case failure = 1
    /// A problem the person running the VM must fix, named on standard error: a bad or unusable
    /// setting (LOG_DIR, a port in use, a host that is not this machine's), the startup timeout.
    case userProblem = 2
}
