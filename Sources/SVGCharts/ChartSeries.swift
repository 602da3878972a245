/// One point of a line chart, in data units.
public struct ChartPoint: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// One line of a `LineChart`: points joined in the given order (not sorted).
public struct ChartSeries: Sendable, Equatable {
    /// Legend text; an empty name keeps the series out of the legend.
    public var name: String
    /// Points with a non-finite coordinate are skipped.
    public var points: [ChartPoint]
    /// Drawn as a thinner dashed line, e.g. a reference line such as rate × time.
    public var dashed: Bool
    /// Index into `ChartPalette.colors`; nil means the series' position in the chart.
    public var colorIndex: Int?

    public init(name: String, points: [ChartPoint], dashed: Bool = false, colorIndex: Int? = nil) {
        self.name = name
        self.points = points
        self.dashed = dashed
        self.colorIndex = colorIndex
    }
}
