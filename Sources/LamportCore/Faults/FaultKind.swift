/// How a `delay` fault spreads its jitter around the base delay.
public enum DelayDistribution: String, Sendable, Equatable, CaseIterable {
    /// Exactly `ms`; `jitter_ms` must be 0.
    case constant
    /// `ms` plus a uniform draw from `-jitter_ms...jitter_ms` (whole microseconds), never below 0.
    case uniform
    /// `ms` plus an exponential draw of mean `jitter_ms`, cut at
    /// `FaultLimits.exponentialJitterCap` times the mean.
    case exponential
}

/// What a fault does to this VM's outgoing messages (or, for `clockSkew`, to its log times).
///
/// The cases and their parameters mirror the control plane's `kind` values; `name` is the
/// spelling there and in the log.
public enum FaultKind: Sendable, Equatable {
    /// Each copy is held back for `milliseconds` plus jitter (see `DelayDistribution`); jitter can
    /// make copies to the same peer arrive out of send order.
    case delay(milliseconds: Int, jitterMilliseconds: Int, distribution: DelayDistribution)
    /// Each message is destroyed with this probability (0...1).
    case loss(probability: Double)
    /// Each message that survives the losses is sent twice with this probability (0...1).
    case duplicate(probability: Double)
    /// Nothing gets through: copies are held until the partition ends, then sent in send order.
    /// One-way; a partition both ways is one set on each VM.
    case partition
    /// Adds `milliseconds` (negative allowed) to this VM's wall-clock log time stamps. Messages
    /// and Lamport clocks are untouched; it takes no peers.
    case clockSkew(milliseconds: Int)

    /// The `kind` value of the control plane and the log: `delay`, `loss`, `duplicate`,
    /// `partition`, `clock_skew`.
    public var name: String {
        switch self {
        case .delay: "delay"
        case .loss: "loss"
        case .duplicate: "duplicate"
        case .partition: "partition"
        case .clockSkew: Self.clockSkewName
        }
    }

    /// The `kind` value of a `clock_skew` fault (the one kind the analysis reads the times by).
    public static let clockSkewName = "clock_skew"

    /// The parameters as `key: value` pairs, in the order of the log and the control plane:
    /// `ms`, `jitter_ms`, `distribution` (delay); `probability` (loss, duplicate); `ms`
    /// (clock_skew); none for partition.
    public var parameterFields: [LogField] {
        switch self {
        case .delay(let milliseconds, let jitter, let distribution):
            [
                LogField(.ms, .int(milliseconds)), LogField(.jitterMs, .int(jitter)),
                LogField(.distribution, .string(distribution.rawValue)),
            ]
        case .loss(let probability), .duplicate(let probability): [LogField(.probability, .double(probability))]
        case .partition: []
        case .clockSkew(let milliseconds): [LogField(.ms, .int(milliseconds))]
        }
    }

    /// Checks the parameters against `FaultLimits`; the error names the first field out of range.
    public func validate() throws(FaultParameterError) {
        switch self {
        case .delay(let milliseconds, let jitter, let distribution):
            try Self.check(milliseconds, field: "ms", within: 0...FaultLimits.maximumDelayMilliseconds)
            try Self.check(jitter, field: "jitter_ms", within: 0...FaultLimits.maximumDelayMilliseconds)
            if distribution == .constant && jitter != 0 {
                throw FaultParameterError(field: "jitter_ms", problem: "must be 0 with distribution constant")
            }
        case .loss(let probability), .duplicate(let probability):
            guard probability >= 0 && probability <= 1 else {
                throw FaultParameterError(field: "probability", problem: "must be from 0 to 1")
            }
        case .partition:
            break
        case .clockSkew(let milliseconds):
            let limit = FaultLimits.maximumClockSkewMilliseconds
            try Self.check(milliseconds, field: "ms", within: -limit...limit)
        }
    }

    private static func check(
        _ value: Int, field: String, within range: ClosedRange<Int>
    )
        throws(FaultParameterError)
    {
        guard range.contains(value) else {
            throw FaultParameterError(
                field: field, problem: "must be from \(range.lowerBound) to \(range.upperBound)")
        }
    }
}
