/// `ShadedInterval`s laid out over a plot: a translucent band per interval over the plot's height,
/// and a labelled bar per interval in rows above the plot. Intervals share a row when neither
/// their bars nor their labels overlap; past `maxRows` rows, the least crowded row takes the rest.
/// Everything is drawn inside `<g class="shaded-intervals">` (bands: `<rect class="band">`, bars:
/// `<rect class="band-bar">` and their `<text>`).
struct ShadedBands {
    static let rowHeight = 16.0
    static let maxRows = 6
    static let labelSize = 10.0

    /// The intervals inside the axis, each with its row.
    let placed: [(interval: ShadedInterval, row: Int)]
    let rowCount: Int

    /// Lays out the intervals visible on `axis` for a plot `plotWidth` px wide.
    init(_ intervals: [ShadedInterval], axis: ChartAxis, plotWidth: Double) {
        let visible = intervals.filter {
            $0.start.isFinite && $0.end.isFinite && $0.end >= axis.lower && $0.start <= axis.upper
        }
        .sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        var rowEnds: [Double] = []
        var placed: [(ShadedInterval, Int)] = []
        for interval in visible {
            let from = max(axis.fraction(interval.start), 0) * plotWidth
            let to = min(axis.fraction(interval.end), 1) * plotWidth
            let reach = max(to, from + SVGWriter.textWidth(interval.label, size: Self.labelSize) + 6) + 4
            var row = rowEnds.firstIndex { $0 <= from }
            if row == nil {
                if rowEnds.count < Self.maxRows {
                    rowEnds.append(0)
                    row = rowEnds.count - 1
                } else {
                    row = rowEnds.indices.min { rowEnds[$0] < rowEnds[$1] }
                }
            }
            rowEnds[row!] = max(rowEnds[row!], reach)
            placed.append((interval, row!))
        }
        self.placed = placed
        rowCount = rowEnds.count
    }

    /// Room the rows take above the plot (0 without intervals).
    var height: Double { rowCount == 0 ? 0 : Double(rowCount) * Self.rowHeight + 4 }

    /// The x range in px of an interval, at least 1.5 px wide, inside the plot.
    private func span(_ interval: ShadedInterval, frame: ChartFrame, axis: ChartAxis) -> (x: Double, width: Double) {
        let from = frame.x(min(max(axis.fraction(interval.start), 0), 1))
        let to = frame.x(min(max(axis.fraction(interval.end), 0), 1))
        let width = max(to - from, 1.5)
        return (min(from, frame.right - width), width)
    }

    /// The bands over the plot's height (draw them before the data) and the bars above it.
    func draw(frame: ChartFrame, axis: ChartAxis, into svg: inout SVGWriter) {
        guard !placed.isEmpty else { return }
        svg.open("g", [("class", "shaded-intervals")])
        for (interval, _) in placed {
            let (x, width) = span(interval, frame: frame, axis: axis)
            Self.band(
                x: x, y: frame.top, width: width, height: frame.plotHeight, interval: interval, into: &svg)
        }
        let rowsTop = frame.top - height
        for (interval, row) in placed {
            let (x, width) = span(interval, frame: frame, axis: axis)
            let y = rowsTop + Double(row) * Self.rowHeight
            svg.open(
                "rect",
                [
                    ("class", "band-bar"), ("x", SVGNumber.coordinate(x)), ("y", SVGNumber.coordinate(y)),
                    ("width", SVGNumber.coordinate(width)), ("height", SVGNumber.coordinate(Self.rowHeight - 3)),
                    ("fill", ChartPalette.bandColor(interval.colorIndex)), ("fill-opacity", "0.75"),
                ])
            svg.element("title", [], text: interval.tooltip)
            svg.close("rect")
            let room = frame.width - x - 8
            svg.text(
                SVGWriter.truncated(interval.label, toWidth: room, size: Self.labelSize), x: x + 3, y: y + 10,
                size: Self.labelSize)
        }
        svg.close("g")
    }

    /// One translucent band with its tooltip.
    static func band(
        x: Double, y: Double, width: Double, height: Double, interval: ShadedInterval, into svg: inout SVGWriter
    ) {
        svg.open(
            "rect",
            [
                ("class", "band"), ("x", SVGNumber.coordinate(x)), ("y", SVGNumber.coordinate(y)),
                ("width", SVGNumber.coordinate(width)), ("height", SVGNumber.coordinate(height)),
                ("fill", ChartPalette.bandColor(interval.colorIndex)), ("fill-opacity", "0.18"),
            ])
        svg.element("title", [], text: interval.tooltip)
        svg.close("rect")
    }
}
