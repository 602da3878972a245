/// The keys of a `fault` or `heal` line (docs/log-format.md) that say which fault it is and what
/// it does: `id` and `kind` on both, `peers`, the parameters and `duration_s` on `fault` lines
/// only. A key the line does not have is nil. The kind and the distribution stay text, so a kind this
/// version does not know is still shown as it was written.
public struct LogFaultFields: Sendable, Equatable {
    public var id: Int?
    /// `delay`, `loss`, `duplicate`, `partition` or `clock_skew`.
    public var kind: String?
    /// The recipients it acts on; nil: every peer.
    public var peers: [Int]?
    /// `ms` of delay and clock_skew (a skew may be negative).
    public var ms: Int?
    public var jitterMs: Int?
    /// `constant`, `uniform` or `exponential` (delay).
    public var distribution: String?
    /// 0...1, of loss and duplicate.
    public var probability: Double?
    /// Seconds after which the fault ends by itself.
    public var durationS: Double?

    public init(
        id: Int? = nil, kind: String? = nil, peers: [Int]? = nil, ms: Int? = nil, jitterMs: Int? = nil,
        distribution: String? = nil,
        probability: Double? = nil, durationS: Double? = nil
    ) {
        self.id = id
        self.kind = kind
        self.peers = peers
        self.ms = ms
        self.jitterMs = jitterMs
        self.distribution = distribution
        self.probability = probability
        self.durationS = durationS
    }
}
