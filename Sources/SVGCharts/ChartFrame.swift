/// The layout shared by the charts: a title on top, a plot area with tick labels and axis labels on
/// its left and below it, and a legend column on its right. Coordinates are SVG user units (px).
struct ChartFrame {
    let width: Double
    let height: Double
    /// Edges of the plot area.
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double

    /// `width`×`height` raised to at least 200×150; non-finite sizes become 800×400.
    static func size(width: Double, height: Double) -> (width: Double, height: Double) {
        (width.isFinite ? max(width, 200) : 800, height.isFinite ? max(height, 150) : 400)
    }

    /// Space above the plot: room for the title when there is one.
    static func topMargin(title: String) -> Double { title.isEmpty ? 16 : 44 }

    /// Space below the plot: tick labels (taller by `extra` when rotated) and the x-axis label.
    static func bottomMargin(xLabel: String, extra: Double = 0) -> Double {
        30 + extra + (xLabel.isEmpty ? 0 : 20)
    }

    /// Space left of the plot: the widest tick label and the rotated y-axis label.
    static func leftMargin(tickLabels: [String], yLabel: String) -> Double {
        let widest = tickLabels.map { SVGWriter.textWidth($0) }.max() ?? 0
        return 14 + (yLabel.isEmpty ? 0 : 22) + widest
    }

    /// A y axis for a plot `plotHeight` high: about one tick per 45 px.
    static func yAxis(covering low: Double, _ high: Double, plotHeight: Double) -> ChartAxis {
        ChartAxis(covering: low, high, targetTicks: max(2, Int(plotHeight / 45)))
    }

    init(width: Double, height: Double, left: Double, top: Double, bottom: Double, legendWidth: Double) {
        self.width = width
        self.height = height
        self.left = min(left, width / 2)
        self.top = top
        self.right = max(width - legendWidth - 20, self.left + 20)
        self.bottom = max(height - bottom, top + 20)
    }

    var plotWidth: Double { right - left }
    var plotHeight: Double { bottom - top }

    /// The x coordinate of a fraction of the plot width.
    func x(_ fraction: Double) -> Double { left + fraction * plotWidth }
    /// The y coordinate of a fraction of the plot height, measured upwards.
    func y(_ fraction: Double) -> Double { bottom - fraction * plotHeight }

    /// An x axis whose tick labels do not overlap: as many ticks as fit, one per 80 px at most.
    func xAxis(covering low: Double, _ high: Double) -> ChartAxis {
        var target = max(2, Int(plotWidth / 80))
        while true {
            let axis = ChartAxis(covering: low, high, targetTicks: target)
            let widest = axis.tickLabels.map { SVGWriter.textWidth($0) }.max() ?? 0
            let spacing = plotWidth / Double(max(axis.ticks.count - 1, 1))
            if widest + 10 <= spacing || target <= 2 { return axis }
            target -= 1
        }
    }

    func drawTitle(_ title: String, into svg: inout SVGWriter) {
        guard !title.isEmpty else { return }
        let text = SVGWriter.truncated(title, toWidth: width - 20, size: 16)
        svg.text(text, x: width / 2, y: 27, size: 16, anchor: .middle, bold: true)
    }

    /// Horizontal grid lines and tick labels of `axis`, and `label` rotated along the left edge.
    func drawYAxis(_ axis: ChartAxis, label: String, into svg: inout SVGWriter) {
        for tick in axis.ticks {
            let y = y(axis.fraction(tick))
            svg.line(from: (left, y), to: (right, y), stroke: ChartPalette.grid)
            svg.text(axis.label(tick), x: left - 6, y: y + 4, anchor: .end, fill: ChartPalette.axis)
        }
        guard !label.isEmpty else { return }
        let text = SVGWriter.truncated(label, toWidth: plotHeight)
        svg.text(text, x: 18, y: (top + bottom) / 2, anchor: .middle, fill: ChartPalette.axis, rotation: -90)
    }

    /// Vertical grid lines and tick labels of `axis`, and `label` centred below them.
    func drawXAxis(_ axis: ChartAxis, label: String, into svg: inout SVGWriter) {
        for tick in axis.ticks {
            let x = x(axis.fraction(tick))
            svg.line(from: (x, top), to: (x, bottom), stroke: ChartPalette.grid)
            svg.text(axis.label(tick), x: x, y: bottom + 17, anchor: .middle, fill: ChartPalette.axis)
        }
        drawXLabel(label, into: &svg)
    }

    /// The x-axis label centred under the plot, below tick labels taller by `extra`.
    func drawXLabel(_ label: String, extra: Double = 0, into svg: inout SVGWriter) {
        guard !label.isEmpty else { return }
        let text = SVGWriter.truncated(label, toWidth: plotWidth)
        svg.text(text, x: (left + right) / 2, y: bottom + 38 + extra, anchor: .middle, fill: ChartPalette.axis)
    }

    /// The left and bottom axis lines, drawn last so the data do not cover them.
    func drawAxisLines(into svg: inout SVGWriter) {
        svg.line(from: (left, top), to: (left, bottom), stroke: ChartPalette.axis)
        svg.line(from: (left, bottom), to: (right, bottom), stroke: ChartPalette.axis)
    }

    /// A chart with only its title, an empty plot area and "no data" in its middle.
    static func noData(width: Double, height: Double, title: String) -> String {
        let frame = ChartFrame(
            width: width, height: height, left: 20, top: topMargin(title: title), bottom: 20, legendWidth: 0)
        var svg = SVGWriter(width: width, height: height)
        frame.drawTitle(title, into: &svg)
        svg.rect(
            x: frame.left, y: frame.top, width: frame.plotWidth, height: frame.plotHeight, fill: "#fafafa",
            stroke: ChartPalette.grid)
        let middle = (frame.top + frame.bottom) / 2
        svg.text("no data", x: width / 2, y: middle + 5, size: 14, anchor: .middle, fill: ChartPalette.mutedText)
        return svg.document(title: title)
    }
}
