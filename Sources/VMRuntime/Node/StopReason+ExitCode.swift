import LamportCore

extension StopReason {
    /// The process exit code of a VM that stopped for this reason.
    var exitCode: VMExitCode {
        switch self {
        case .runTime, .signal: .clean
        case .startupTimeout: .userProblem
        case .clockExhausted, .logWriteFailed: .failure
        }
    }
}
