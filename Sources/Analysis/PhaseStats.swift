import EventLog

/// A named stretch of wall-clock time in a run (an experiment phase).
public struct PhaseWindow: Sendable, Equatable, Codable {
    public var name: String
    /// Microseconds since the epoch.
    public var start: Int64
    public var end: Int64

    public init(name: String, start: Int64, end: Int64) {
        self.name = name
        self.start = start
        self.end = end
    }
}

/// The experiment's questions answered for one phase of one run: clock jumps, drift, queues.
public struct PhaseStats: Sendable, Equatable, Codable {
    public var name: String
    public var jumps: [JumpHistogram]
    public var maxQueue: [Int]
    public var tickEvents: [Int]
    /// Largest clock gap between two VMs during the phase, and its mean over tick events.
    public var maxDrift = 0
    public var driftTotal = 0
    public var driftSamples = 0

    public var meanDrift: Double { driftSamples == 0 ? 0 : Double(driftTotal) / Double(driftSamples) }
    public var largestJump: Int { jumps.map(\.largest).max() ?? 0 }
    public var largestQueue: Int { maxQueue.max() ?? 0 }

    /// Mean jump size over all VMs' jumps.
    public var meanJump: Double {
        let count = jumps.reduce(0) { $0 + $1.jumps }
        let total = jumps.reduce(0.0) { $0 + $1.mean * Double($1.jumps) }
        return count == 0 ? 0 : total / Double(count)
    }
}

/// Gathers `PhaseStats` for a list of windows as the run's lines go by (in time order).
public struct PhaseStatsCollector: Sendable {
    public private(set) var stats: [PhaseStats]
    private let windows: [PhaseWindow]
    private var clocks: ClockSpread
    private var previousClock: [Int]

    public init(windows: [PhaseWindow], vmCount: Int) {
        self.windows = windows
        stats = windows.map {
            PhaseStats(
                name: $0.name, jumps: Array(repeating: JumpHistogram(), count: vmCount),
                maxQueue: Array(repeating: 0, count: vmCount), tickEvents: Array(repeating: 0, count: vmCount))
        }
        clocks = ClockSpread(vmCount: vmCount)
        previousClock = Array(repeating: 0, count: vmCount)
    }

    /// Takes the next line of the run, of the VM at `vmIndex` (its id - 1), in time order across
    /// VMs: the drift compares each VM's latest clock as of this line. Give it every line, not
    /// only those inside a window: a receive's jump is measured from the VM's previous line,
    /// wherever that was. The drift costs O(1) amortised per line (`ClockSpread`). A tick event counts in the first window whose half-open
    /// `start..<end` holds its time; other lines only update the VM's last clock.
    public mutating func consume(_ record: LogRecord, vmIndex: Int) {
        defer { previousClock[vmIndex] = record.clock }
        guard let kind = record.kind, kind.isTickEvent else { return }
        clocks.set(vmIndex: vmIndex, clock: record.clock)
        guard let phase = windows.firstIndex(where: { record.time >= $0.start && record.time < $0.end }) else { return }
        stats[phase].tickEvents[vmIndex] += 1
        stats[phase].maxQueue[vmIndex] = max(stats[phase].maxQueue[vmIndex], record.queue)
        if kind == .receive { stats[phase].jumps[vmIndex].add(record.clock - previousClock[vmIndex] - 1) }
        if let spread = clocks.spread {
            stats[phase].maxDrift = max(stats[phase].maxDrift, spread)
            stats[phase].driftTotal += spread
            stats[phase].driftSamples += 1
        }
    }
}
