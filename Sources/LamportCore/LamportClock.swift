/// A Lamport logical clock.
///
/// Every event increments the clock first. A receive first jumps to the larger of the local
/// value and the message's stamp, then increments, so `receive(m) > m` always holds.
public struct LamportClock: Sendable, Equatable {
    /// The clock value after the last recorded event (0 before any event).
    public private(set) var value: Int

    /// The largest stamp a message may carry, 2^53 - 1: the largest integer every JSON reader
    /// (jq, JavaScript) holds exactly. A clock this far from `Int.max` cannot overflow in any run.
    /// A clock that reaches it is exhausted (`isExhausted`): its VM must stop before it ticks
    /// again, so every stamp it sends stays within the limit (and its clock at most 2^53).
    public static let maximumStamp = (1 << 53) - 1
    /// The stamps a message may carry.
    public static let acceptable = 1...maximumStamp

    public init(value: Int = 0) {
        self.value = value
    }

    /// Whether the clock has reached `maximumStamp`: ticking on could send a stamp peers refuse.
    public var isExhausted: Bool { value >= Self.maximumStamp }

    /// Records a local event (internal or send) and returns the new value.
    @discardableResult
    public mutating func tick() -> Int {
        value += 1
        return value
    }

    /// Records the receipt of a message stamped `messageClock` and returns the new value,
    /// `max(value, messageClock) + 1`. The caller checks the stamp against `acceptable` first
    /// (`VMCore.deliver` does), so the increment cannot overflow.
    @discardableResult
    public mutating func receive(stampedWith messageClock: Int) -> Int {
        value = max(value, messageClock) + 1
        return value
    }
}
