/// Everything `vmserver analyze` learns from a run folder, gathered in streaming passes.
public struct RunAnalysis: Sendable {
    public var directory: String
    /// VM ids, ascending; index i of the per-VM arrays is VM `vmIDs[i]`.
    public var vmIDs: [Int]
    /// First and last time stamp of the run, microseconds since the epoch.
    public var start: Int64
    public var end: Int64
    public var lines: Int
    public var summaries: [VMRunSummary]
    public var checks: [CheckResult]
    public var accounting: MessageAccounting
    public var crashedVMs: [Int]
    public var phases: [RatePhase]
    public var concurrency: ConcurrencyStats
    public var series: TimeSeries
    public var window: SpaceTimeWindow
    /// Per-phase statistics, for the windows given to the analyzer (experiments).
    public var phaseStats: [PhaseStats]

    public var passed: Bool { checks.allSatisfy(\.passed) }
    public var durationSeconds: Double { Double(end - start) / 1_000_000 }

    /// The largest clock gap between VMs seen at any bucket end, and the mean over buckets.
    public var drift: (largest: Int, mean: Double) {
        let values = series.drift().compactMap { $0 }
        guard !values.isEmpty else { return (0, 0) }
        return (values.max()!, Double(values.reduce(0, +)) / Double(values.count))
    }
}
