/// The ranges every driver of the core accepts, in one place: the settings check values against
/// them, and the simulator asserts them, so a real VM and a simulated one refuse the same inputs.
public enum RunLimits {
    /// Seeds stay below 2^53 so they are exact as JSON numbers in every tool (jq, JavaScript).
    public static let maximumSeed: UInt64 = (1 << 53) - 1
    /// The highest numeric tick rate; above it, `max` (unthrottled) is what is meant.
    public static let maximumTickRate = 1_000_000.0
    /// The lowest tick rate: one tick in 1000 s.
    public static let minimumTickRate = 0.001
    /// The longest span of seconds any setting accepts (RUN_TIME, STARTUP_TIMEOUT, `--duration`,
    /// plan phases): 365 days. Well inside what an `Int64` holds in nanoseconds (292 years).
    public static let maximumSeconds = 31_536_000.0
    /// The longest simulated network delay, in microseconds: one minute.
    public static let maximumLatencyMicroseconds: Int = 60_000_000
}
