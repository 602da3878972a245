#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Signals sent to other processes (`kill(2)`), for the orchestration that starts VMs.
public enum ProcessSignal: Sendable {
    /// SIGTERM: asks a VM to stop cleanly.
    case terminate
    /// SIGKILL: ends a process at once (a crash, for experiments).
    case kill

    /// The signal's number on this system.
    public var number: Int32 {
        switch self {
        case .terminate: SIGTERM
        case .kill: SIGKILL
        }
    }

    /// Sends the signal to `processID`. Throws ESRCH when the process is already gone.
    public func send(to processID: Int32) throws(SystemError) {
        _ = try SystemCall.once("kill") { systemKill(processID, number) }
    }
}

@inline(__always)
private func systemKill(_ processID: Int32, _ signal: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.kill(processID, signal)
    #else
        Darwin.kill(processID, signal)
    #endif
}
