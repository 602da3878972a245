import EventLog

/// Per-VM totals of a run, gathered from its log in one streaming pass.
public struct VMRunSummary: Sendable, Equatable, Codable {
    public var vm: Int
    /// Ticks per second from the last `start` or `config` line; infinity for "max", nil if unknown.
    public var configuredTickRate: Double?
    /// Whether the rate was changed during the run (then `configuredTickRate` is only the last one).
    public var tickRateChanged = false
    public var internalEvents = 0
    public var sendEvents = 0
    public var receiveEvents = 0
    /// Message copies handed to the network (a send to all counts once per recipient).
    public var messagesSent = 0
    public var messagesDropped = 0
    /// Copies a `loss` fault of this VM destroyed (its `send` lines' `lost`), counted in
    /// `messagesSent`.
    public var messagesLost = 0
    /// Extra copies this VM received (`receive` or `unprocessed` lines with `"duplicate": true`).
    public var duplicatesReceived = 0
    /// Of `duplicatesReceived`, those logged as `receive` (the rest are `unprocessed` lines).
    public var duplicateReceives = 0
    /// `fault` lines: faults this VM had.
    public var faults = 0
    /// `unprocessed` lines: copies still queued at a clean stop, duplicates included.
    public var unprocessed = 0
    public var finalClock = 0
    public var maxQueue = 0
    /// Clock jumps on receives.
    public var jumps = JumpHistogram()
    /// Sum of the queue length after each tick event, for the mean.
    public var queueTotal = 0
    /// Time of the first `start` and of the last line, in microseconds since the epoch.
    public var firstStart: Int64?
    public var lastTime: Int64 = 0
    /// Times of the first and last tick events.
    public var firstTick: Int64?
    public var lastTick: Int64 = 0
    public var stopReason: String?
    /// The first tick of the current run (a run is one process's stretch of the log) and its
    /// ticks so far; the gaps and the time between first and last tick of the earlier runs.
    private var runFirstTick: Int64?
    private var runTicks = 0
    private var earlierGaps = 0
    private var earlierSpan: Int64 = 0

    public init(vm: Int) {
        self.vm = vm
    }

    public var tickEvents: Int { internalEvents + sendEvents + receiveEvents }
    public var maxJump: Int { jumps.largest }
    /// Mean queue length after a tick event.
    public var meanQueue: Double { tickEvents == 0 ? 0 : Double(queueTotal) / Double(tickEvents) }

    /// Tick events per second: the ticks after the first one over the time from the first tick to
    /// the last (tick k is due k / rate after the first, so a steady rate is measured exactly),
    /// summed over the VM's runs, so the time a crashed VM was down before its restart does not
    /// count as ticking time.
    public var measuredTickRate: Double? {
        var gaps = earlierGaps
        var span = earlierSpan
        if let runFirstTick, runTicks > 1 {
            gaps += runTicks - 1
            span += lastTick - runFirstTick
        }
        guard gaps > 0, span > 0 else { return nil }
        return Double(gaps) / (Double(span) / 1_000_000)
    }

    /// Adds one line of this VM's log.
    public mutating func add(_ record: LogRecord) {
        if record.kind?.isTickEvent == true {
            if firstTick == nil { firstTick = record.time }
            if runFirstTick == nil { runFirstTick = record.time }
            runTicks += 1
            lastTick = record.time
            queueTotal += record.queue
        }
        switch record.kind {
        case .internalEvent: internalEvents += 1
        case .send:
            sendEvents += 1
            messagesSent += record.to.count - record.dropped.count
            messagesDropped += record.dropped.count
            if !record.lost.isEmpty {
                messagesLost += record.lost.filter { record.to.contains($0) && !record.dropped.contains($0) }.count
            }
        case .receive:
            receiveEvents += 1
            jumps.add(record.clock - finalClock - 1)
            if record.duplicate {
                duplicatesReceived += 1
                duplicateReceives += 1
            }
        case .unprocessed:
            unprocessed += 1
            if record.duplicate { duplicatesReceived += 1 }
        case .fault: faults += 1
        case .drop where !record.duplicate:
            // A copy a fault held back, dropped when its recipient's link went down.
            messagesSent -= 1
            messagesDropped += 1
        case .start:
            if firstStart == nil { firstStart = record.time }
            if let runFirstTick, runTicks > 1 {
                earlierGaps += runTicks - 1
                earlierSpan += lastTick - runFirstTick
            }
            runFirstTick = nil
            runTicks = 0
            if let rate = record.tickRate { configuredTickRate = rate }
        case .config:
            if let rate = record.tickRate {
                tickRateChanged = tickRateChanged || rate != configuredTickRate
                configuredTickRate = rate
            }
        case .stop: stopReason = record.reason
        default: break
        }
        finalClock = record.clock
        maxQueue = max(maxQueue, record.queue)
        lastTime = max(lastTime, record.time)
    }

    /// Reads a whole log file.
    public static func read(path: String, vm: Int) throws(LogParseError) -> VMRunSummary {
        var summary = VMRunSummary(vm: vm)
        let reader = try LogFileReader(path: path)
        while let record = try reader.next() { summary.add(record) }
        return summary
    }
}
