import SystemCalls

/// One numeric axis: its range, tick values (1-2-5 steps, or decades on a log axis) and the mapping
/// of a value to a fraction 0...1 of the axis length. Never produces NaN for finite input.
struct ChartAxis {
    let lower: Double
    let upper: Double
    let ticks: [Double]
    let isLog: Bool
    /// Tick labels: value / divisor with `decimals` places, then `suffix` ("k", "M").
    private let decimals: Int
    private let divisor: Double
    private let suffix: String

    /// A linear axis covering `low...high` with about `targetTicks` ticks: the bounds are rounded
    /// out to multiples of a 1-2-5 step. An empty range is widened (to 0...1 when it is at 0), a
    /// non-finite one replaced by 0...1.
    init(covering low: Double, _ high: Double, targetTicks: Int) {
        var (lo, hi) = (min(low, high), max(low, high))
        if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
        if hi - lo <= max(abs(hi), abs(lo)) * 1e-9 {
            if lo == 0 {
                hi = 1
            } else {
                let pad = abs(lo) * 0.1
                (lo, hi) = (lo - pad, hi + pad)
            }
        }
        let rawStep = (hi - lo) / Double(max(targetTicks, 1))
        var exponent = Int(CMath.log10(rawStep).rounded(.down))
        let scaled = rawStep / CMath.pow(10, Double(exponent))
        let factor: Double
        switch scaled {
        case ...1.0001: factor = 1
        case ...2.0001: factor = 2
        case ...5.0001: factor = 5
        default: (factor, exponent) = (1, exponent + 1)
        }
        let step = factor * CMath.pow(10, Double(exponent))
        let first = Int((lo / step).rounded(.down))
        let last = Int((hi / step).rounded(.up))
        lower = Double(first) * step
        upper = Double(last) * step
        ticks = (first...last).map { Double($0) * step }
        isLog = false
        let largest = max(abs(lower), abs(upper))
        if largest >= 1e6, exponent >= 5 {
            (divisor, suffix, decimals) = (1e6, "M", max(0, 6 - exponent))
        } else if largest >= 1e4, exponent >= 3 {
            (divisor, suffix, decimals) = (1e3, "k", max(0, 3 - exponent))
        } else {
            (divisor, suffix, decimals) = (1, "", max(0, -exponent))
        }
    }

    /// A log axis for non-negative counts, mapping v to log(1 + v) so zero has a place: from 0 to
    /// the first power of ten at or above `high`, with ticks at 0 and the powers of ten (every
    /// other one beyond eight decades).
    init(logCovering high: Double) {
        var decades = 0
        while decades < 15, CMath.pow(10, Double(decades)) < high { decades += 1 }
        let every = decades > 8 ? 2 : 1
        lower = 0
        upper = CMath.pow(10, Double(decades))
        ticks = [0] + stride(from: 0, through: decades, by: every).map { CMath.pow(10, Double($0)) }
        isLog = true
        (divisor, suffix, decimals) = (1, "", 0)
    }

    /// Where `value` lies along the axis: 0 at `lower`, 1 at `upper` (outside for values outside).
    func fraction(_ value: Double) -> Double {
        if isLog { return CMath.log10(1 + max(value, 0)) / CMath.log10(1 + upper) }
        return (value - lower) / (upper - lower)
    }

    /// The text of a tick at `value`: "0" at zero, else all with the same decimals, e.g. "2.5k".
    func label(_ value: Double) -> String {
        if isLog {
            switch value {
            case 1e6...: return SVGNumber.fixed(value / 1e6, decimals: 0) + "M"
            case 1e3...: return SVGNumber.fixed(value / 1e3, decimals: 0) + "k"
            default: return SVGNumber.fixed(value, decimals: 0)
            }
        }
        let text = SVGNumber.fixed(value / divisor, decimals: decimals)
        return value == 0 ? "0" : text + suffix
    }

    var tickLabels: [String] { ticks.map(label) }
}
