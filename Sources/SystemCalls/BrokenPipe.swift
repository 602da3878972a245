#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGPIPE, the signal a write to a pipe without a reader raises.
public enum BrokenPipe {
    /// Makes such a write fail with EPIPE instead of ending the process, so a command whose
    /// output is piped into `head` goes on with its work (stopping its VMs cleanly, say). Writers
    /// of this project ignore or handle the error (`StandardOutput`, `StandardError`, the peer
    /// and HTTP connections, which SwiftNIO and libmicrohttpd already guard against it).
    public static func ignore() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}
