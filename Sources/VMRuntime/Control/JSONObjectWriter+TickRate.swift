import JSONText
import LamportCore

extension JSONObjectWriter {
    /// A tick rate as `/config` and `/status` show it, the same text as the event log's `tick_rate`
    /// (`TickRate.logValue`): an integer when the rate is whole, a number with a fraction otherwise,
    /// and the string `"max"` when unthrottled.
    mutating func field(_ key: String, _ rate: TickRate) {
        switch rate {
        case .perSecond(let perSecond) where perSecond == perSecond.rounded() && abs(perSecond) < 1e15:
            field(key, Int(perSecond))
        case .perSecond(let perSecond): field(key, perSecond)
        case .unthrottled: field(key, "max")
        }
    }
}
