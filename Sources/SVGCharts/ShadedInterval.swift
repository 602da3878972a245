/// A stretch of a chart's x axis to shade, e.g. a period while something unusual went on: drawn
/// as a translucent band over the plot and, in a `LineChart`, as a labelled bar in a row above the
/// plot. Intervals are clipped to the x axis; an empty one is drawn as a thin line.
public struct ShadedInterval: Sendable, Equatable {
    /// Start and end in x data units (swapped when given the wrong way round).
    public var start: Double
    public var end: Double
    /// Text on the bar above the plot, and the band's tooltip (with `detail`).
    public var label: String
    /// More text for the tooltip only (empty: none).
    public var detail: String
    /// Index into `ChartPalette.bandColors`: intervals of one sort share a color.
    public var colorIndex: Int

    public init(start: Double, end: Double, label: String, detail: String = "", colorIndex: Int = 0) {
        self.start = min(start, end)
        self.end = max(start, end)
        self.label = label
        self.detail = detail
        self.colorIndex = colorIndex
    }

    var tooltip: String { detail.isEmpty ? label : label + ": " + detail }
}
