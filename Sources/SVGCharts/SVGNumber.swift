/// Number formatting for SVG output, without Foundation: fixed decimals, never "nan", "inf" or
/// "-0", so every attribute is a valid SVG number.
enum SVGNumber {
    /// `value` rounded to `decimals` places (0...6), e.g. `fixed(2.345, decimals: 1) == "2.3"`.
    /// Non-finite values give "0"; values too large for exact integer arithmetic use `description`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let places = min(max(decimals, 0), 6)
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (value * Double(scale)).rounded()
        guard abs(scaled) < 1e15 else { return value.description }
        let units = Int(scaled)
        let magnitude = abs(units)
        var text = units < 0 ? "-" : ""
        text += String(magnitude / scale)
        if places > 0 {
            let fraction = String(magnitude % scale)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }

    /// A coordinate or length: one decimal, a trailing ".0" dropped ("12", "12.5").
    static func coordinate(_ value: Double) -> String {
        let text = fixed(value, decimals: 1)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
