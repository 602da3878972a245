import SystemCalls

/// The process's limit on open files (RLIMIT_NOFILE), which bounds how many connections the
/// control plane can hold. Shells and service managers often start processes with a soft limit of
/// 1024 under a much higher hard limit; any process may raise its soft limit up to the hard one.
public enum OpenFileLimit {
    /// The soft and hard limits now in force (nil if unknown).
    public static func current() -> (soft: Int, hard: Int)? {
        guard let limit = try? ResourceLimit.openFiles() else { return nil }
        return (clamp(limit.soft), clamp(limit.hard))
    }

    /// Raises the soft limit to the hard limit (where the system caps it lower, to that cap), and
    /// returns the soft limit in force afterwards. Needs no privilege; never lowers the limit.
    @discardableResult
    public static func raiseSoftLimitToHard() -> Int? {
        guard let limit = try? ResourceLimit.openFiles() else { return nil }
        if limit.soft < limit.hard {
            do {
                try ResourceLimit.setOpenFiles(ResourceLimit(soft: limit.hard, hard: limit.hard))
            } catch {
                // macOS refuses more than OPEN_MAX for an unlimited hard limit.
                if let ceiling = ResourceLimit.openFilesCeiling {
                    try? ResourceLimit.setOpenFiles(ResourceLimit(soft: min(limit.hard, ceiling), hard: limit.hard))
                }
            }
        }
        return current()?.soft
    }

    private static func clamp(_ value: UInt64) -> Int {
        value >= UInt64(Int.max) ? Int.max : Int(value)
    }
}
