import LamportCore

/// A `--tick-rates` value of `cluster` and `simulate` (and a plan's `tick_rates` text): one rate
/// per VM (`1,4,6`; `max` where the command allows it), or a range of whole rates `LOW-HIGH`
/// from which each VM draws its own from the seed, as a VM without TICK_RATE does from 1-6.
public enum TickRateSpec: Sendable, Equatable {
    case list([TickRate])
    case range(ClosedRange<Int>)

    /// The range a VM without TICK_RATE draws from.
    public static let defaultRange = 1...6

    public static func parse(_ text: String, setting: String) throws(SettingsError) -> TickRateSpec {
        let trimmed = text.trimmingWhitespace()
        let bounds = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if bounds.count == 2, let low = Int(bounds[0].trimmingWhitespace()),
            let high = Int(bounds[1].trimmingWhitespace())
        {
            let limit = Int(VMSettings.maximumTickRate)
            guard low >= 1, low <= high, high <= limit else {
                throw SettingsError(
                    setting, "a range LOW-HIGH needs whole rates with 1 <= LOW <= HIGH <= \(limit); got \(quoted(text))"
                )
            }
            return .range(low...high)
        }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
        return .list(
            try parts.map { part throws(SettingsError) in
                try VMSettings.parseTickRate(String(part).trimmingWhitespace(), setting: setting)
            })
    }

    /// The rate of each of VMs 1...vmCount. A list must name exactly `vmCount` rates.
    public func rates(vmCount: Int, seed: UInt64, setting: String) throws(SettingsError) -> [TickRate] {
        switch self {
        case .list(let rates):
            guard rates.count == vmCount else {
                throw SettingsError(
                    setting,
                    "expected \(vmCount) comma-separated rates, one per VM, or a range like 1-6; got \(rates.count)")
            }
            return rates
        case .range(let range):
            return (1...vmCount).map { .perSecond(Double(Self.drawnRate(in: range, seed: seed, vmID: $0))) }
        }
    }

    /// The whole rate VM `vmID` draws from `range` with the run's seed; a VM without TICK_RATE
    /// draws the same from `defaultRange`, so `cluster --tick-rates 1-6` and no option agree.
    public static func drawnRate(in range: ClosedRange<Int>, seed: UInt64, vmID: Int) -> Int {
        var draw = SeededRandom(seed: seed ^ 0x5EED_7A7E, vmID: vmID)
        return draw.roll(in: range)
    }
}
