/// A grouped bar chart: categories along x (e.g. jump-size buckets or phases), and within each
/// category one bar per group (e.g. per VM or trial), colored by group, with a legend of the
/// groups. The y axis includes 0. With `logScale` the y axis maps v to log(1 + v), so zero counts
/// stay drawable (as no bar) and ticks fall on 0, 1, 10, 100…; negative values then count as 0.
/// Every other non-zero bar is at least 1 px wide and 1 px high, however many groups share a slot.
/// Without categories, groups or any finite value the chart says "no data".
public struct BarChart: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var groups: [BarGroup]
    public var logScale: Bool
    /// Writes each value above its bar, where the text fits the bar's width.
    public var showsValues: Bool
    /// Size in px (at least 200×150).
    public var width: Double
    public var height: Double

    public init(
        title: String, xLabel: String, yLabel: String, categories: [String], groups: [BarGroup],
        logScale: Bool = false, showsValues: Bool = false, width: Double = 800, height: Double = 400
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.groups = groups
        self.logScale = logScale
        self.showsValues = showsValues
        self.width = width
        self.height = height
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        let size = ChartFrame.size(width: width, height: height)
        let values = groups.flatMap { $0.values.prefix(categories.count) }.filter(\.isFinite)
        guard !categories.isEmpty, let lowest = values.min(), let highest = values.max() else {
            return ChartFrame.noData(width: size.width, height: size.height, title: title)
        }
        let colors = groups.indices.map { ChartPalette.color(groups[$0].colorIndex ?? $0) }
        let legend = ChartLegend(zip(groups, colors).map { .init(name: $0.name, swatch: .box(color: $1)) })
        let labels = BarCategoryLabels(categories: categories, width: size.width - legend.width - 100)

        let top = ChartFrame.topMargin(title: title)
        let bottom = ChartFrame.bottomMargin(xLabel: xLabel, extra: labels.extraHeight)
        let plotHeight = size.height - top - bottom
        let yAxis =
            logScale
            ? ChartAxis(logCovering: highest)
            : ChartFrame.yAxis(covering: min(lowest, 0), max(highest, 0), plotHeight: plotHeight)
        let left = max(
            ChartFrame.leftMargin(tickLabels: yAxis.tickLabels, yLabel: yLabel), labels.leftOverhang)
        let frame = ChartFrame(
            width: size.width, height: size.height, left: left, top: top, bottom: bottom,
            legendWidth: legend.width)

        var svg = SVGWriter(width: size.width, height: size.height)
        frame.drawTitle(title, into: &svg)
        frame.drawYAxis(yAxis, label: yLabel, into: &svg)
        drawBars(in: frame, yAxis: yAxis, colors: colors, into: &svg)
        labels.draw(in: frame, into: &svg)
        frame.drawXLabel(xLabel, extra: labels.extraHeight, into: &svg)
        frame.drawAxisLines(into: &svg)
        legend.draw(in: frame, into: &svg)
        return svg.document(title: title)
    }

    private func drawBars(in frame: ChartFrame, yAxis: ChartAxis, colors: [String], into svg: inout SVGWriter) {
        let slot = frame.plotWidth / Double(categories.count)
        let barWidth = slot * 0.8 / Double(max(groups.count, 1))
        let base = frame.y(yAxis.fraction(0))
        for (category, name) in categories.enumerated() {
            let start = frame.left + Double(category) * slot + slot * 0.1
            for (index, group) in groups.enumerated() where category < group.values.count {
                let value = group.values[category]
                guard value.isFinite else { continue }
                let x = start + Double(index) * barWidth
                let y = frame.y(yAxis.fraction(value))
                let tooltip = "\(group.name) \u{00B7} \(name): \(Self.valueText(value))"
                if value != 0, !(logScale && value < 0) {
                    // At least 1 px each way, so that a count among many groups or beside a large one shows.
                    let height = max(abs(base - y), 1)
                    svg.rect(
                        x: x + min(0.5, barWidth / 4), y: y < base ? base - height : base, width: max(barWidth - 1, 1),
                        height: height, fill: colors[index], tooltip: tooltip)
                }
                let text = Self.valueText(value)
                if showsValues, SVGWriter.textWidth(text, size: 10) <= barWidth + 2 {
                    let below = value < 0 && !logScale
                    svg.text(
                        text, x: x + barWidth / 2, y: below ? y + 11 : y - 3, size: 10, anchor: .middle,
                        fill: ChartPalette.axis)
                }
            }
        }
    }

    /// A value label: integers as they are, others with 2, 1 or 0 decimals by size.
    static func valueText(_ value: Double) -> String {
        if value == value.rounded() { return SVGNumber.fixed(value, decimals: 0) }
        switch abs(value) {
        case 100...: return SVGNumber.fixed(value, decimals: 0)
        case 10...: return SVGNumber.fixed(value, decimals: 1)
        default: return SVGNumber.fixed(value, decimals: 2)
        }
    }
}
