/// How fast a VM ticks.
public enum TickRate: Sendable, Equatable, CustomStringConvertible {
    /// Ticks per second, a positive finite number (fractions allowed).
    case perSecond(Double)
    /// As fast as the machine allows.
    case unthrottled

    public var description: String {
        switch self {
        case .perSecond(let rate): formatRate(rate)
        case .unthrottled: "max"
        }
    }

    /// The log and JSON form: a number, or the string `"max"`.
    public var logValue: LogValue {
        switch self {
        case .perSecond(let rate): rate == rate.rounded() && abs(rate) < 1e15 ? .int(Int(rate)) : .double(rate)
        case .unthrottled: .string("max")
        }
    }

    private func formatRate(_ rate: Double) -> String {
        rate == rate.rounded() && abs(rate) < 1e15 ? String(Int(rate)) : String(rate)
    }
}

/// The settings of a VM that may change while it runs; changes apply from the next tick.
public struct VMTuning: Sendable, Equatable {
    public var tickRate: TickRate
    /// Idle ticks roll `1...maxAction`; must be at least the cluster size.
    public var maxAction: Int
    /// A paused VM does not tick; messages still arrive and queue up.
    public var paused: Bool

    public init(tickRate: TickRate, maxAction: Int = 10, paused: Bool = false) {
        self.tickRate = tickRate
        self.maxAction = maxAction
        self.paused = paused
    }
}
