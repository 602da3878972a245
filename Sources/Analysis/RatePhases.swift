import EventLog
import LamportCore

/// One stretch of a VM's run with one tick rate: from its `start` line or a `config` line that
/// changed the rate or paused it (or a `clock_skew` fault's `fault` or `heal` line, see
/// `RatePhaseTracker`), to the next such line or the stop.
public struct RatePhase: Sendable, Equatable, Codable {
    public var vm: Int
    /// Ticks per second configured; infinity for "max"; nil while paused.
    public var configuredRate: Double?
    public var ticks = 0
    public var firstTick: Int64?
    public var lastTick: Int64 = 0

    /// Ticks per second from the phase's first tick to its last (nil with fewer than 3 ticks).
    public var measuredRate: Double? {
        guard ticks >= 3, let firstTick, lastTick > firstTick else { return nil }
        return Double(ticks - 1) / (Double(lastTick - firstTick) / 1_000_000)
    }

    /// Whether the phase has a finite rate and is long enough to measure it: at least 1 s from its
    /// first tick to its last. (At high rates ticks run in batches that share one time stamp; over a
    /// second or more that rounding stays far below 1 %.)
    public var isCheckable: Bool {
        guard let configuredRate, configuredRate.isFinite, let firstTick else { return false }
        return measuredRate != nil && lastTick - firstTick >= 1_000_000
    }

    /// Measured within `tolerance` (a fraction) of configured.
    public func isWithin(_ tolerance: Double) -> Bool {
        guard let configuredRate, let measuredRate else { return true }
        return abs(measuredRate - configuredRate) <= tolerance * configuredRate
    }
}

/// Splits each VM's log into rate phases as the lines go by.
public struct RatePhaseTracker: Sendable {
    public private(set) var finished: [RatePhase] = []
    /// Per VM id (ids are small), the open phase, pause state and rate.
    private var current: [RatePhase?] = []
    private var paused: [Bool] = []
    private var rate: [Double?] = []
    /// Whether the VM's run has written its `start` line (and no `stop` since).
    private var started: [Bool] = []
    /// Whether a `config` line came while the VM waited for its peers: its pause then carries
    /// into the `start` (a VM paused before it starts starts paused).
    private var configuredBeforeStart: [Bool] = []

    public init() {}

    public mutating func consume(_ record: LogRecord) {
        if record.vm >= current.count {
            let missing = record.vm - current.count + 1
            current += Array(repeating: nil, count: missing)
            paused += Array(repeating: false, count: missing)
            rate += Array(repeating: nil, count: missing)
            started += Array(repeating: false, count: missing)
            configuredBeforeStart += Array(repeating: false, count: missing)
        }
        switch record.kind {
        case .start:
            if let value = record.tickRate { rate[record.vm] = value }
            // A new run starts unpaused, unless it was paused while it waited for its peers.
            if !configuredBeforeStart[record.vm] { paused[record.vm] = false }
            configuredBeforeStart[record.vm] = false
            started[record.vm] = true
            begin(record.vm)
        case .config:
            guard record.tickRate != nil || record.paused != nil else { return }
            if let value = record.tickRate { rate[record.vm] = value }
            if let value = record.paused { paused[record.vm] = value }
            if !started[record.vm] { configuredBeforeStart[record.vm] = true }
            begin(record.vm)
        case .fault, .heal:
            // A clock_skew fault shifts the log times from its fault line to its heal line, so a
            // phase spanning either would measure the shift as ticks: its fault and heal lines
            // start a new phase (same rate), so each phase has one skew throughout.
            if started[record.vm] && record.fault?.kind == FaultKind.clockSkewName { begin(record.vm) }
        case .stop:
            started[record.vm] = false
            close(record.vm)
        case .internalEvent, .send, .receive:
            guard current[record.vm] != nil else { return }
            current[record.vm]!.ticks += 1
            if current[record.vm]!.firstTick == nil { current[record.vm]!.firstTick = record.time }
            current[record.vm]!.lastTick = record.time
        default:
            break
        }
    }

    /// All phases, the open ones closed, ordered by VM then time.
    public func allPhases() -> [RatePhase] {
        (finished + current.compactMap { $0 }).sorted { ($0.vm, $0.firstTick ?? 0) < ($1.vm, $1.firstTick ?? 0) }
    }

    private mutating func begin(_ vm: Int) {
        close(vm)
        current[vm] = RatePhase(vm: vm, configuredRate: paused[vm] ? nil : rate[vm])
    }

    private mutating func close(_ vm: Int) {
        if vm < current.count, let phase = current[vm] {
            finished.append(phase)
            current[vm] = nil
        }
    }
}
