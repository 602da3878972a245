/// One member of each category of a `BarChart`, e.g. one VM or one trial: its value per category
/// and its color.
public struct BarGroup: Sendable, Equatable {
    /// Legend text; an empty name keeps the group out of the legend.
    public var name: String
    /// One value per category, in the chart's category order; missing or non-finite values draw
    /// no bar, extra values are ignored.
    public var values: [Double]
    /// Index into `ChartPalette.colors`; nil means the group's position in the chart.
    public var colorIndex: Int?

    public init(name: String, values: [Double], colorIndex: Int? = nil) {
        self.name = name
        self.values = values
        self.colorIndex = colorIndex
    }
}
