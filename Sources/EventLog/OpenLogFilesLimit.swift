import SystemCalls

/// Makes room for reading many logs at once: a merge keeps every VM's log open, and shells often
/// start a process with a soft limit of 1024 open files under a much higher hard limit.
public enum OpenLogFilesLimit {
    /// Descriptors kept free for everything else the process opens while the logs are open.
    public static let spare: UInt64 = 64

    /// Raises the soft limit on open files (toward the hard one) if `count` logs plus `spare` do
    /// not fit under it; throws one line naming the limit when even the hard limit is too low.
    public static func ensureRoom(forLogs count: Int) throws(LogParseError) {
        let needed = UInt64(max(count, 0)) + spare
        guard let limit = try? ResourceLimit.openFiles(), limit.soft < needed else { return }
        var target = limit.hard
        if let ceiling = ResourceLimit.openFilesCeiling { target = min(target, ceiling) }
        if target > limit.soft { try? ResourceLimit.setOpenFiles(ResourceLimit(soft: target, hard: limit.hard)) }
        let now = (try? ResourceLimit.openFiles())?.soft ?? limit.soft
        guard now < needed else { return }
        throw LogParseError(
            message:
                "reading \(count) logs at once needs \(needed) open files, but the limit is \(now) "
                + "(hard limit \(limit.hard)): raise it, e.g. ulimit -n \(needed)")
    }

    /// The read buffer size for each of `count` logs read at once: 1 MiB for a few logs, less for
    /// many, so the buffers together stay near 64 MiB (never below 8 KiB each; a longer line grows
    /// its buffer).
    public static func chunkSize(forLogs count: Int) -> Int {
        min(1 << 20, max(8 << 10, (64 << 20) / max(count, 1)))
    }
}
