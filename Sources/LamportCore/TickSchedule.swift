/// When ticks are due: tick `k` at `anchor + k / rate`, on a monotonic clock in nanoseconds (or in
/// any other unit given as `unitsPerSecond`: the simulator counts microseconds).
///
/// Deadlines are absolute, so time lost to scheduling or slow ticks is caught up instead of
/// accumulating. A rate change re-anchors the schedule at the moment of the change.
public struct TickSchedule: Sendable, Equatable {
    public private(set) var anchor: UInt64
    /// Ticks taken since the anchor.
    public private(set) var taken: Int = 0
    /// Ticks per second; nil when unthrottled.
    private var perSecond: Double?
    /// Clock units in one second: 1e9 for nanoseconds.
    private let unitsPerSecond: Double

    public init(anchor: UInt64, rate: TickRate) {
        self.init(anchor: anchor, rate: rate, unitsPerSecond: 1_000_000_000)
    }

    /// A schedule on a clock that counts `unitsPerSecond` per second (1e6 for microseconds).
    public init(anchor: UInt64, rate: TickRate, unitsPerSecond: Double) {
        self.anchor = anchor
        self.perSecond = Self.perSecond(rate)
        self.unitsPerSecond = unitsPerSecond
    }

    /// Clock units between ticks (nanoseconds by default); nil when unthrottled.
    public var interval: Double? {
        perSecond.map { unitsPerSecond / $0 }
    }

    /// The deadline of the next tick (the anchor itself when unthrottled).
    public var nextDue: UInt64 {
        guard let perSecond else { return anchor }
        // k * units / rate, in this order (the simulator's logs depend on the exact rounding).
        // Saturates instead of trapping, should a schedule ever reach that far.
        let offset = (Double(taken) * unitsPerSecond / perSecond).rounded()
        return offset < Double(UInt64.max - anchor) ? anchor + UInt64(offset) : .max
    }

    /// Whether the next tick is due at `now`.
    public func isDue(at now: UInt64) -> Bool {
        nextDue <= now
    }

    /// Counts a tick as taken, which moves `nextDue` to the following deadline. Deadlines count
    /// from the anchor, not from when the tick ran, so a late tick does not delay the ones after
    /// it. Call it once per tick that ran.
    public mutating func recordTick() {
        taken += 1
    }

    /// Starts over at `now` with a new rate: the next tick is due at once.
    public mutating func reanchor(at now: UInt64, rate: TickRate) {
        anchor = now
        perSecond = Self.perSecond(rate)
        taken = 0
    }

    private static func perSecond(_ rate: TickRate) -> Double? {
        switch rate {
        case .perSecond(let perSecond): perSecond
        case .unthrottled: nil
        }
    }
}
