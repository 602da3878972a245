/// The ranges a fault's parameters must lie in, in one place: `FaultRequest` checks them, and the
/// HTTP layer and plan readers can quote them in their answers.
public enum FaultLimits {
    /// The longest `delay` `ms` and `jitter_ms`: one minute, the simulator's longest latency
    /// (`RunLimits.maximumLatencyMicroseconds`).
    public static let maximumDelayMilliseconds = RunLimits.maximumLatencyMicroseconds / 1000
    /// An exponential jitter sample is cut at this many times its mean `jitter_ms`, so one copy
    /// is never held for an unbounded time (the tail beyond it has probability e^-10, about 5e-5).
    public static let exponentialJitterCap = 10
    /// The largest `clock_skew` `ms`, either way: one day.
    public static let maximumClockSkewMilliseconds = 86_400_000
    /// The longest `duration_s`: the longest span any setting accepts.
    public static let maximumDurationSeconds = RunLimits.maximumSeconds
}
