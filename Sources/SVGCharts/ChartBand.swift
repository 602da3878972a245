/// A shaded band of a `LineChart` between a lower and an upper line (e.g. the 10th and 90th
/// percentile of many VMs' clocks over time), drawn translucent under the lines, with a legend
/// entry when named. `lower` and `upper` are joined point by point in the given order; points with
/// a non-finite coordinate are skipped.
public struct ChartBand: Sendable, Equatable {
    public var name: String
    public var lower: [ChartPoint]
    public var upper: [ChartPoint]
    /// Index into `ChartPalette.colors`; nil means the band's position in the chart.
    public var colorIndex: Int?

    public init(name: String, lower: [ChartPoint], upper: [ChartPoint], colorIndex: Int? = nil) {
        self.name = name
        self.lower = lower
        self.upper = upper
        self.colorIndex = colorIndex
    }

    /// Opacity of the band's fill.
    static let opacity = 0.25
}

extension SVGWriter {
    /// A closed, filled polygon without outline.
    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double) {
        let coordinates = points.map { SVGNumber.coordinate($0.x) + "," + SVGNumber.coordinate($0.y) }
        element(
            "polygon",
            [
                ("points", coordinates.joined(separator: " ")), ("fill", fill),
                ("fill-opacity", SVGNumber.coordinate(opacity)), ("stroke", "none"),
            ])
    }
}
