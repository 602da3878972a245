/// A Lamport logical clock.
///
/// Every event increments the clock first. A receive first jumps to the larger of the local
/// value and the message's stamp, then increments, so `receive(m) > m` always holds.
public struct LamportClock: Sendable, Equatable {
    /// The clock value after the last recorded event (0 before any event).
    public private(set) var value: Int

    public init(value: Int = 0) {
        self.value = value
    }

    /// Records a local event (internal or send) and returns the new value.
    @discardableResult
    public mutating func tick() -> Int {
        value += 1
        return value
    }

    /// Records the receipt of a message stamped `messageClock` and returns the new value,
    /// `max(value, messageClock) + 1`.
    @discardableResult
    public mutating func receive(stampedWith messageClock: Int) -> Int {
        value = max(value, messageClock) + 1
        return value
    }
}
