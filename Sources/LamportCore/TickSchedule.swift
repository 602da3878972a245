/// When ticks are due: tick `k` at `anchor + k / rate`, on a monotonic clock in nanoseconds.
///
/// Deadlines are absolute, so time lost to scheduling or slow ticks is caught up instead of
/// accumulating. A rate change re-anchors the schedule at the moment of the change.
public struct TickSchedule: Sendable, Equatable {
    public private(set) var anchor: UInt64
    /// Nanoseconds between ticks; nil when unthrottled.
    public private(set) var interval: Double?
    /// Ticks taken since the anchor.
    public private(set) var taken: Int = 0

    public init(anchor: UInt64, rate: TickRate) {
        self.anchor = anchor
        self.interval = Self.interval(for: rate)
    }

    /// The deadline of the next tick (the anchor itself when unthrottled).
    public var nextDue: UInt64 {
        guard let interval else { return anchor }
        // Saturates instead of trapping, should a schedule ever reach that far.
        let offset = (Double(taken) * interval).rounded()
        return offset < Double(UInt64.max - anchor) ? anchor + UInt64(offset) : .max
    }

    /// Whether the next tick is due at `now`.
    public func isDue(at now: UInt64) -> Bool {
        nextDue <= now
    }

    public mutating func recordTick() {
        taken += 1
    }

    /// Starts over at `now` with a new rate: the next tick is due at once.
    public mutating func reanchor(at now: UInt64, rate: TickRate) {
        anchor = now
        interval = Self.interval(for: rate)
        taken = 0
    }

    private static func interval(for rate: TickRate) -> Double? {
        switch rate {
        case .perSecond(let perSecond): 1_000_000_000 / perSecond
        case .unthrottled: nil
        }
    }
}
