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
    /// `accounting` per directed link that carried (or was to carry) a message, by sender, then
    /// recipient; the links add up to `accounting`.
    public var links: [LinkAccounting.Link] = []
    public var crashedVMs: [Int]
    /// Receives stamped before their sends (host clocks that disagree), ordered after them anyway.
    public var stampSkew = StampSkew()
    /// The faults of the run, by start time (empty for a run without faults).
    public var faults: [FaultInterval] = []
    /// Logs that end in a line cut short (a crash or a full disk in the middle of a write); those
    /// bytes are not analysed.
    public var cutShortLines: [CutShortLine] = []
    public var phases: [RatePhase]
    public var concurrency: ConcurrencyStats
    public var series: TimeSeries
    public var window: SpaceTimeWindow
    /// Per-phase statistics, for the windows given to the analyzer (experiments).
    public var phaseStats: [PhaseStats]
    /// The windows given to the analyzer (experiment phases), for marking them on time axes.
    public var phaseWindows: [PhaseWindow] = []

    public var passed: Bool { checks.allSatisfy(\.passed) }
    public var durationSeconds: Double { Double(end - start) / 1_000_000 }

    /// The largest clock gap between VMs seen at any bucket end, and the mean over buckets.
    public var drift: (largest: Int, mean: Double) {
        let values = series.drift().compactMap { $0 }
        guard !values.isEmpty else { return (0, 0) }
        return (values.max()!, Double(values.reduce(0, +)) / Double(values.count))
    }
}

/// The end of a VM's log that is not a complete line: bytes after its last newline.
public struct CutShortLine: Sendable, Equatable, Codable {
    public var vm: Int
    /// Byte offset in the file where the cut line starts.
    public var offset: Int
    /// How many bytes it has.
    public var bytes: Int

    /// One sentence for people, as the terminal summary and the report show it.
    public var note: String {
        "VM \(vm)'s log ends in a line cut short at byte \(offset) (\(bytes) bytes without a line break, "
            + "not analysed): the VM stopped in the middle of writing it (killed, or its disk full)"
    }
}
