/// How one figure (a final clock, a largest jump…) spreads over a group of VMs: its median, 90th
/// percentile and largest value (nearest rank), and the VM with the largest, for the grouped
/// tables of a report of many VMs.
public struct Spread: Sendable, Equatable {
    public var p50: Double
    public var p90: Double
    public var max: Double
    /// The VM with the largest value (the lowest id among ties).
    public var maxVM: Int

    /// The spread of `values` (value, VM) pairs; nil when there are none.
    public init?(_ values: [(value: Double, vm: Int)]) {
        let sorted = values.filter { $0.value.isFinite }.sorted { ($0.value, -$0.vm) < ($1.value, -$1.vm) }
        guard let last = sorted.last else { return nil }
        func rank(_ fraction: Double) -> Double {
            sorted[Swift.max(1, Int((fraction * Double(sorted.count)).rounded(.up))) - 1].value
        }
        (p50, p90, max, maxVM) = (rank(0.5), rank(0.9), last.value, last.vm)
    }

    /// "12 / 30 / 41 (VM 7312)": p50 / p90 / max and the VM at the max (not named when the max is
    /// 0: every VM has it), numbers by `format`.
    public func text(_ format: (Double) -> String = Spread.number) -> String {
        "\(format(p50)) / \(format(p90)) / \(format(max))" + (max == 0 ? "" : " (VM \(maxVM))")
    }

    /// "12/30/41 (7312)": the terminal's narrower form of `text`.
    public var compactText: String {
        "\(Self.number(p50))/\(Self.number(p90))/\(Self.number(max))" + (max == 0 ? "" : " (\(maxVM))")
    }

    /// Rounded to two decimals; whole numbers without a decimal point.
    public static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) : String(rounded)
    }
}
