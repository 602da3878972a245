#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A soft and a hard resource limit (`getrlimit(2)`), as the system stores them: "unlimited" is
/// RLIM_INFINITY, which reads as at least `Int.max`.
public struct ResourceLimit: Hashable, Sendable {
    public var soft: UInt64
    public var hard: UInt64

    public init(soft: UInt64, hard: UInt64) {
        self.soft = soft
        self.hard = hard
    }

    /// The limits on open files (RLIMIT_NOFILE) now in force.
    public static func openFiles() throws(SystemError) -> ResourceLimit {
        var limit = rlimit()
        _ = try SystemCall.once("getrlimit") { getrlimit(openFilesResource, &limit) }
        return ResourceLimit(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// The limits on processes (RLIMIT_NPROC) now in force: on Linux, the threads of all of the
    /// user's processes count (not enforced for root).
    public static func processes() throws(SystemError) -> ResourceLimit {
        var limit = rlimit()
        _ = try SystemCall.once("getrlimit") { getrlimit(processesResource, &limit) }
        return ResourceLimit(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// Sets the limits on open files (`setrlimit(2)`). Any process may move its soft limit up to
    /// the hard one, and lower the hard one.
    public static func setOpenFiles(_ limit: ResourceLimit) throws(SystemError) {
        var raw = rlimit(rlim_cur: rlim_t(limit.soft), rlim_max: rlim_t(limit.hard))
        _ = try SystemCall.once("setrlimit") { setrlimit(openFilesResource, &raw) }
    }

    /// The most open files the system accepts as a soft limit whatever the hard limit says, where
    /// there is such a cap: macOS refuses more than OPEN_MAX when the hard limit is unlimited.
    public static var openFilesCeiling: UInt64? {
        #if canImport(Darwin)
            UInt64(OPEN_MAX)
        #else
            nil
        #endif
    }

    #if canImport(Glibc)
        private static let openFilesResource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        private static let processesResource = __rlimit_resource_t(__RLIMIT_NPROC.rawValue)
    #else
        private static let openFilesResource = RLIMIT_NOFILE
        private static let processesResource = RLIMIT_NPROC
    #endif
}
