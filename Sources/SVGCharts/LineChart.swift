/// A line chart of one or more series on shared linear axes, with a legend of the named series.
/// The y axis starts at 0 unless some value is negative; the x axis spans the data. A series with
/// a single point is drawn as a dot. Without any finite point the chart says "no data".
/// `shaded` intervals are drawn under the data as translucent bands, labelled in rows above the
/// plot (see `ShadedBands`); `bands` (e.g. percentile bands of many VMs) are drawn translucent
/// under the lines and count in the y range.
public struct LineChart: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    public var shaded: [ShadedInterval]
    public var bands: [ChartBand]
    /// Size in px (at least 200×150).
    public var width: Double
    public var height: Double

    public init(
        title: String, xLabel: String, yLabel: String, series: [ChartSeries], shaded: [ShadedInterval] = [],
        bands: [ChartBand] = [], width: Double = 800, height: Double = 400
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.shaded = shaded
        self.bands = bands
        self.width = width
        self.height = height
    }

    /// The chart as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        let size = ChartFrame.size(width: width, height: height)
        let lines = series.map { $0.points.filter { $0.x.isFinite && $0.y.isFinite } }
        let areas = bands.map { band in
            (band.lower.filter { $0.x.isFinite && $0.y.isFinite }, band.upper.filter { $0.x.isFinite && $0.y.isFinite })
        }
        let points = lines.joined() + areas.flatMap { $0.0 + $0.1 }
        guard let first = points.first else {
            return ChartFrame.noData(width: size.width, height: size.height, title: title)
        }
        var (xMin, xMax, yMin, yMax) = (first.x, first.x, min(first.y, 0), first.y)
        for point in points {
            (xMin, xMax) = (min(xMin, point.x), max(xMax, point.x))
            (yMin, yMax) = (min(yMin, point.y), max(yMax, point.y))
        }
        let colors = series.indices.map { ChartPalette.color(series[$0].colorIndex ?? $0) }
        let bandColors = self.bands.indices.map { ChartPalette.color(self.bands[$0].colorIndex ?? $0) }
        let legend = ChartLegend(
            zip(self.bands, bandColors).map { .init(name: $0.name, swatch: .band(color: $1)) }
                + zip(series, colors).map { .init(name: $0.name, swatch: .line(color: $1, dashed: $0.dashed)) })

        let bottom = ChartFrame.bottomMargin(xLabel: xLabel)
        func layout(top: Double) -> (frame: ChartFrame, xAxis: ChartAxis, yAxis: ChartAxis) {
            let yAxis = ChartFrame.yAxis(covering: yMin, yMax, plotHeight: size.height - top - bottom)
            let frame = ChartFrame(
                width: size.width, height: size.height,
                left: ChartFrame.leftMargin(tickLabels: yAxis.tickLabels, yLabel: yLabel), top: top, bottom: bottom,
                legendWidth: legend.width)
            return (frame, frame.xAxis(covering: xMin, xMax), yAxis)
        }
        var (frame, xAxis, yAxis) = layout(top: ChartFrame.topMargin(title: title))
        let bands = ShadedBands(shaded, axis: xAxis, plotWidth: frame.plotWidth)
        if bands.height > 0 { (frame, xAxis, yAxis) = layout(top: ChartFrame.topMargin(title: title) + bands.height) }

        var svg = SVGWriter(width: size.width, height: size.height)
        bands.draw(frame: frame, axis: xAxis, into: &svg)
        frame.drawTitle(title, into: &svg)
        frame.drawYAxis(yAxis, label: yLabel, into: &svg)
        frame.drawXAxis(xAxis, label: xLabel, into: &svg)
        for (index, area) in areas.enumerated() where !area.0.isEmpty && !area.1.isEmpty {
            let outline = area.0 + area.1.reversed()
            svg.polygon(
                outline.map { (x: frame.x(xAxis.fraction($0.x)), y: frame.y(yAxis.fraction($0.y))) },
                fill: bandColors[index], opacity: ChartBand.opacity)
        }
        for (index, line) in lines.enumerated() {
            let coordinates = line.map { (x: frame.x(xAxis.fraction($0.x)), y: frame.y(yAxis.fraction($0.y))) }
            if coordinates.count == 1 {
                svg.circle(x: coordinates[0].x, y: coordinates[0].y, radius: 3.5, fill: colors[index])
            } else if series[index].dashed {
                svg.polyline(coordinates, stroke: colors[index], width: 1.5, dash: "6 4")
            } else {
                svg.polyline(coordinates, stroke: colors[index], width: 2)
            }
        }
        frame.drawAxisLines(into: &svg)
        legend.draw(in: frame, into: &svg)
        return svg.document(title: title)
    }
}
