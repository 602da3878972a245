#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit on open files (RLIMIT_NOFILE), which bounds how many connections the
/// control plane can hold. Shells and service managers often start processes with a soft limit of
/// 1024 under a much higher hard limit; any process may raise its soft limit up to the hard one.
public enum OpenFileLimit {
    /// The soft and hard limits now in force (nil if unknown).
    public static func current() -> (soft: Int, hard: Int)? {
        var limit = rlimit()
        guard getResourceLimit(&limit) == 0 else { return nil }
        return (clamp(limit.rlim_cur), clamp(limit.rlim_max))
    }

    /// Raises the soft limit to the hard limit (where the system caps it lower, to that cap), and
    /// returns the soft limit in force afterwards. Needs no privilege; never lowers the limit.
    @discardableResult
    public static func raiseSoftLimitToHard() -> Int? {
        var limit = rlimit()
        guard getResourceLimit(&limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setResourceLimit(&raised) != 0 {
                #if canImport(Darwin)
                    // macOS refuses more than OPEN_MAX for an unlimited hard limit.
                    raised.rlim_cur = min(limit.rlim_max, rlim_t(OPEN_MAX))
                    _ = setResourceLimit(&raised)
                #endif
            }
        }
        return current()?.soft
    }

    private static func clamp(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }

    private static func getResourceLimit(_ limit: inout rlimit) -> Int32 {
        #if canImport(Glibc)
            getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
            getrlimit(RLIMIT_NOFILE, &limit)
        #endif
    }

    private static func setResourceLimit(_ limit: inout rlimit) -> Int32 {
        #if canImport(Glibc)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
            setrlimit(RLIMIT_NOFILE, &limit)
        #endif
    }
}
