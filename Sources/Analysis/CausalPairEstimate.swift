/// An estimate of the number of happened-before pairs of a run, with its 95% confidence interval.
public struct CausalPairEstimate: Sendable, Equatable {
    /// The estimate (rounded).
    public var value: Int
    /// The 95% confidence interval, clamped to the possible range [0, events * (events - 1) / 2].
    public var low: Int
    public var high: Int
    /// Probe events sampled, and the chance each tick event had to be one.
    public var probes: Int
    public var probability: Double

    public init(value: Int, low: Int, high: Int, probes: Int, probability: Double) {
        self.value = value
        self.low = low
        self.high = high
        self.probes = probes
        self.probability = probability
    }
}
