/// How the analysis rebuilds causality: exact vector clocks while they fit in `vectorMemoryBudget`,
/// otherwise an estimate from about `targetProbes` sampled probe events (`CausalPastSampler`).
public struct CausalityOptions: Sendable, Equatable {
    /// Bytes the vector clocks may take (one vector per VM and one per message in flight).
    /// Exact vector clocks are kept only when the VMs' own vectors take at most a quarter of it
    /// (the rest is for messages in flight), and dropped for the estimate if the messages in
    /// flight push them past it.
    public var vectorMemoryBudget: Int
    /// Probe events the estimate aims at (the probability is this over the expected tick events).
    public var targetProbes: Int

    /// The default: 256 MiB of vectors (exact up to about 2,900 VMs), 2,000 probes.
    public static let standard = CausalityOptions(vectorMemoryBudget: 256 << 20, targetProbes: 2000)

    public init(vectorMemoryBudget: Int, targetProbes: Int) {
        self.vectorMemoryBudget = vectorMemoryBudget
        self.targetProbes = targetProbes
    }

    /// Whether exact vector clocks for `vmCount` VMs start within the budget.
    public func exactFits(vmCount: Int) -> Bool {
        VectorClockTracker.bytes(vmCount: vmCount, vectors: vmCount) <= vectorMemoryBudget / 4
    }
}
