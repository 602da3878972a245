/// The category names under a bar chart: horizontal and centred under their slot when they fit,
/// otherwise turned 40° (ending under their slot) and, like all of them, shortened to ~100 px.
struct BarCategoryLabels {
    static let maxWidth = 100.0
    static let angle = -40.0
    /// cos and sin of 40°: the horizontal and vertical extent of a turned label per px of length.
    static let cosine = 0.766
    static let sine = 0.643

    let names: [String]
    let rotated: Bool
    let widest: Double

    /// Labels for `categories` over a plot about `width` px wide.
    init(categories: [String], width: Double) {
        names = categories.map { SVGWriter.truncated($0, toWidth: Self.maxWidth) }
        widest = names.map { SVGWriter.textWidth($0) }.max() ?? 0
        rotated = widest + 6 > width / Double(max(categories.count, 1))
    }

    /// Height the turned labels need beyond one row of text.
    var extraHeight: Double { rotated ? max(0, widest * Self.sine - 6) : 0 }

    /// Room the first turned label needs left of the plot.
    var leftOverhang: Double { rotated ? widest * Self.cosine : 0 }

    func draw(in frame: ChartFrame, into svg: inout SVGWriter) {
        let slot = frame.plotWidth / Double(max(names.count, 1))
        for (index, name) in names.enumerated() {
            let x = frame.left + (Double(index) + 0.5) * slot
            if rotated {
                svg.text(
                    name, x: x + 4, y: frame.bottom + 14, anchor: .end, fill: ChartPalette.axis, rotation: Self.angle)
            } else {
                svg.text(name, x: x, y: frame.bottom + 17, anchor: .middle, fill: ChartPalette.axis)
            }
        }
    }
}
