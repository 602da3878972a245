/// Shape helpers over `SVGWriter.element`: coordinates are rounded to one decimal.
extension SVGWriter {
    /// Where a text's anchor point sits horizontally.
    enum Anchor: String {
        case start, middle, end
    }

    mutating func line(
        from start: (x: Double, y: Double), to end: (x: Double, y: Double), stroke: String,
        width: Double = 1, dash: String? = nil, extra: [(String, String)] = []
    ) {
        var attributes = [
            ("x1", SVGNumber.coordinate(start.x)), ("y1", SVGNumber.coordinate(start.y)),
            ("x2", SVGNumber.coordinate(end.x)), ("y2", SVGNumber.coordinate(end.y)),
            ("stroke", stroke), ("stroke-width", SVGNumber.coordinate(width)),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes + extra)
    }

    /// A rectangle; `tooltip` becomes a `<title>` child that browsers show on hover.
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
        tooltip: String? = nil
    ) {
        var attributes = [
            ("x", SVGNumber.coordinate(x)), ("y", SVGNumber.coordinate(y)),
            ("width", SVGNumber.coordinate(max(width, 0))), ("height", SVGNumber.coordinate(max(height, 0))),
            ("fill", fill),
        ]
        if let stroke { attributes.append(("stroke", stroke)) }
        withTooltip("rect", attributes, tooltip)
    }

    /// A circle; `tooltip` becomes a `<title>` child that browsers show on hover.
    mutating func circle(x: Double, y: Double, radius: Double, fill: String, tooltip: String? = nil) {
        let attributes = [
            ("cx", SVGNumber.coordinate(x)), ("cy", SVGNumber.coordinate(y)),
            ("r", SVGNumber.coordinate(radius)), ("fill", fill),
        ]
        withTooltip("circle", attributes, tooltip)
    }

    /// An open polyline; consecutive points that round to the same coordinates are written once.
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double, dash: String? = nil) {
        var coordinates: [String] = []
        coordinates.reserveCapacity(points.count)
        for point in points {
            let pair = SVGNumber.coordinate(point.x) + "," + SVGNumber.coordinate(point.y)
            if pair != coordinates.last { coordinates.append(pair) }
        }
        var attributes = [
            ("points", coordinates.joined(separator: " ")), ("fill", "none"), ("stroke", stroke),
            ("stroke-width", SVGNumber.coordinate(width)), ("stroke-linejoin", "round"),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("polyline", attributes)
    }

    /// Text with its baseline at `y`; `rotation` (degrees) turns it around its anchor point.
    mutating func text(
        _ text: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start, bold: Bool = false,
        fill: String = "#222222", rotation: Double = 0
    ) {
        let px = SVGNumber.coordinate(x)
        let py = SVGNumber.coordinate(y)
        var attributes = [("x", px), ("y", py)]
        if size != 12 { attributes.append(("font-size", SVGNumber.coordinate(size))) }
        if anchor != .start { attributes.append(("text-anchor", anchor.rawValue)) }
        if bold { attributes.append(("font-weight", "bold")) }
        attributes.append(("fill", fill))
        if rotation != 0 {
            attributes.append(("transform", "rotate(\(SVGNumber.coordinate(rotation)) \(px) \(py))"))
        }
        element("text", attributes, text: text)
    }

    /// Estimated rendered width of `text` at `size` px in a sans-serif font (a generous average).
    static func textWidth(_ text: String, size: Double = 12) -> Double {
        Double(text.count) * size * 0.6
    }

    /// `text` cut to at most `width` estimated px, ending in "…" when cut.
    static func truncated(_ text: String, toWidth width: Double, size: Double = 12) -> String {
        let limit = max(Int(width / (size * 0.6)), 2)
        return text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private mutating func withTooltip(_ name: String, _ attributes: [(String, String)], _ tooltip: String?) {
        if let tooltip {
            open(name, attributes)
            element("title", [], text: tooltip)
            close(name)
        } else {
            element(name, attributes)
        }
    }
}
