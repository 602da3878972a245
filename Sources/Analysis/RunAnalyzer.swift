import EventLog

/// Reads a run folder's logs (streaming: memory does not grow with the number of lines) and
/// gathers a `RunAnalysis`: per-VM summaries, the checks, rate phases, vector-clock statistics,
/// time series and a space-time window.
public enum RunAnalyzer {
    /// Measured tick rates must be within this fraction of the configured rate, per phase.
    public static let rateTolerance = 0.01

    /// Analyzes the `vm<ID>.jsonl` files of `directory`; with `shiviz`, also writes the ShiViz
    /// export while reading (which needs exact vector clocks: a run whose vectors do not fit in
    /// `causality`'s budget is refused with an error naming `--shiviz`, before any reading).
    /// - Parameters:
    ///   - phases: windows of the run (experiment phases) to report separately.
    ///   - causality: when the concurrency counts are exact and when estimated.
    public static func analyze(
        directory: String, shiviz: ShiVizWriter? = nil, phases windows: [PhaseWindow] = [],
        causality: CausalityOptions = .standard
    ) throws(LogParseError) -> RunAnalysis {
        let files = try LogMerger.logFiles(inDirectory: directory)
        guard !files.isEmpty else { throw LogParseError(message: "no vm<ID>.jsonl logs in \(directory)") }
        let ids = files.map { Int($0.split(separator: "/").last!.dropFirst(2).dropLast(6))! }
        let maxID = ids.max()!
        if let shiviz, !causality.exactFits(vmCount: maxID) {
            shiviz.discard()
            let mebibytes = VectorClockTracker.bytes(vmCount: maxID, vectors: maxID) >> 20
            throw LogParseError(
                message:
                    "--shiviz needs exact vector clocks: \(maxID) VMs take \(mebibytes) MiB of them, more than the "
                    + "\((causality.vectorMemoryBudget / 4) >> 20) MiB they may use; analyze without --shiviz")
        }
        var found: (start: Int64, end: Int64)?
        var windowStart: Int64 = 0
        var expectedLines = 0
        for file in files {
            guard let ends = try LogFileEnds.read(path: file) else { continue }
            expectedLines += max(ends.lastSeq, 0)
            found = (min(found?.start ?? ends.first, ends.first), max(found?.end ?? ends.last, ends.last))
            windowStart = max(windowStart, ends.firstStart ?? ends.first)
        }
        guard let range = found else { throw LogParseError(message: "no complete log line in \(directory)") }
        var summaries = ids.map(VMRunSummary.init(vm:))
        // VM id -> index into the per-VM arrays (ids are small).
        var slot = [Int?](repeating: nil, count: maxID + 1)
        for (index, id) in ids.enumerated() { slot[id] = index }
        var checker = RunChecker()
        var phases = RatePhaseTracker()
        // Exact vector clocks while they fit; the sampler always runs, so the estimate is there if
        // the exact clocks outgrow the budget on the way (too many messages in flight).
        var vectors = causality.exactFits(vmCount: maxID) ? VectorClockTracker(vmCount: maxID) : nil
        var sampler = CausalPastSampler(
            vmCount: maxID,
            probability: CausalPastSampler.probability(
                targetProbes: causality.targetProbes, expectedEvents: expectedLines))
        var tickEvents = 0
        var ties = ClockTieCounter()
        var series = TimeSeries(vmCount: ids.count, start: range.start, end: range.end)
        var window = SpaceTimeWindow(from: windowStart)
        var phaseStats = PhaseStatsCollector(windows: windows, vmCount: ids.count)
        var faults = FaultIntervalCollector()
        var lines = 0
        let cutShort = try LogMerger.forEachRecord(inFiles: files) { record throws(LogParseError) in
            lines += 1
            checker.consume(record)
            phases.consume(record)
            if record.vm >= 0, record.vm < slot.count, let index = slot[record.vm] {
                summaries[index].add(record)
                series.add(vmIndex: index, time: record.time, clock: record.clock, queue: record.queue)
                if !windows.isEmpty { phaseStats.consume(record, vmIndex: index) }
            }
            if record.kind?.isTickEvent == true {
                tickEvents += 1
                ties.add(clock: record.clock)
            }
            sampler.consume(record)
            if vectors != nil {
                if vectors!.consume(record), let shiviz {
                    shiviz.add(record, vector: vectors!.vector(ofVM: record.vm))
                }
                if shiviz == nil, lines & 4095 == 0,
                    vectors!.memoryBound > causality.vectorMemoryBudget || vectors!.reachedEntryLimit
                {
                    vectors = nil
                }
            }
            window.consume(record)
            faults.consume(record)
        }
        shiviz?.close()
        let report = checker.finish()
        let allPhases = phases.allPhases()
        let concurrency =
            if let vectors {
                ConcurrencyStats(
                    events: vectors.events, causalPairs: vectors.happenedBeforePairs,
                    sumOfSquaredTies: ties.sumOfSquaredTies)
            } else {
                ConcurrencyStats(
                    events: tickEvents, estimate: sampler.estimate(events: tickEvents),
                    sumOfSquaredTies: ties.sumOfSquaredTies)
            }
        var analysis = RunAnalysis(
            directory: directory, vmIDs: ids, start: range.start, end: range.end, lines: lines,
            summaries: summaries, checks: report.checks + [rateCheck(allPhases)], accounting: report.accounting,
            links: report.links.links, crashedVMs: report.crashedVMs, stampSkew: report.stampSkew,
            faults: faults.finish(),
            cutShortLines: zip(ids, cutShort).compactMap { id, line in
                line.map { CutShortLine(vm: id, offset: $0.offset, bytes: $0.length) }
            },
            phases: allPhases,
            concurrency: concurrency,
            series: series, window: window, phaseStats: phaseStats.stats)
        analysis.phaseWindows = windows
        return analysis
    }

    static func rateCheck(_ phases: [RatePhase]) -> CheckResult {
        var check = CheckResult(
            name: "tick_rate_within_1_percent",
            summary: "each VM's measured tick rate is within 1% of its configured rate, in every phase of 1 s or more")
        for phase in phases where phase.isCheckable {
            check.check(
                phase.isWithin(rateTolerance),
                "VM \(phase.vm): configured \(phase.configuredRate!)/s, measured "
                    + "\(((phase.measuredRate ?? 0) * 1000).rounded() / 1000)/s over \(phase.ticks) ticks")
        }
        return check
    }
}
