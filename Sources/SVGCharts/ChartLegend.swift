/// A legend column right of a plot: one row per named entry with a swatch showing how the entry
/// is drawn. Names longer than about 160 px are shortened; rows that do not fit the plot's height
/// are summarised in a last "+N more" row.
struct ChartLegend {
    enum Swatch {
        case line(color: String, dashed: Bool)
        case box(color: String)
        /// A translucent box: a `ChartBand`.
        case band(color: String)
        case dot(color: String)
        /// A short dashed line ending in a cross, or in a bar across it.
        case stub(color: String, cross: Bool)
    }

    struct Entry {
        var name: String
        var swatch: Swatch
    }

    static let rowHeight = 18.0
    static let maxTextWidth = 160.0
    static let swatchWidth = 22.0

    /// Entries with empty names are left out.
    let entries: [Entry]

    init(_ entries: [Entry]) {
        self.entries = entries.filter { !$0.name.isEmpty }
    }

    /// The room the legend takes right of the plot, gap included; 0 without entries.
    var width: Double {
        guard !entries.isEmpty else { return 0 }
        let widest = entries.map { SVGWriter.textWidth($0.name) }.max() ?? 0
        return 16 + Self.swatchWidth + 6 + min(widest, Self.maxTextWidth)
    }

    /// Draws the rows from the top of `frame`'s plot, in the column right of it.
    func draw(in frame: ChartFrame, into svg: inout SVGWriter) {
        guard !entries.isEmpty else { return }
        let x = frame.right + 16
        let capacity = max(Int(frame.plotHeight / Self.rowHeight), 1)
        let shown = entries.count <= capacity ? entries.count : capacity - 1
        for (row, entry) in entries.prefix(shown).enumerated() {
            let middle = frame.top + 8 + Double(row) * Self.rowHeight
            drawSwatch(entry.swatch, x: x, y: middle, into: &svg)
            let name = SVGWriter.truncated(entry.name, toWidth: Self.maxTextWidth)
            svg.text(name, x: x + Self.swatchWidth + 6, y: middle + 4)
        }
        if shown < entries.count {
            let middle = frame.top + 8 + Double(shown) * Self.rowHeight
            svg.text("+\(entries.count - shown) more", x: x, y: middle + 4, fill: ChartPalette.mutedText)
        }
    }

    private func drawSwatch(_ swatch: Swatch, x: Double, y: Double, into svg: inout SVGWriter) {
        switch swatch {
        case .line(let color, let dashed):
            svg.line(
                from: (x, y), to: (x + Self.swatchWidth, y), stroke: color, width: dashed ? 1.5 : 2.5,
                dash: dashed ? "5 3" : nil)
        case .box(let color):
            svg.rect(x: x + 5, y: y - 6, width: 12, height: 12, fill: color)
        case .band(let color):
            svg.polygon(
                [(x, y - 6), (x + Self.swatchWidth, y - 6), (x + Self.swatchWidth, y + 6), (x, y + 6)], fill: color,
                opacity: ChartBand.opacity * 1.6)
        case .dot(let color):
            svg.circle(x: x + Self.swatchWidth / 2, y: y, radius: 4, fill: color)
        case .stub(let color, let cross):
            let end = (x: x + Self.swatchWidth - 5, y: y)
            svg.line(from: (x, y), to: end, stroke: color, width: 1.5, dash: "3 2")
            SpaceTimeDiagram.drawMark(at: end, from: (x, y), cross: cross, color: color, into: &svg)
        }
    }
}
