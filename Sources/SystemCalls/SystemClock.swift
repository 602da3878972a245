#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system's clocks, read without Foundation.
public enum SystemClock {
    /// Wall-clock (real) time in microseconds since the Unix epoch; it can jump when the system
    /// time is set.
    public static func realtimeMicroseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000
    }
}
