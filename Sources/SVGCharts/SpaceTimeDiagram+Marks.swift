/// The marks a `SpaceTimeDiagram` draws besides events and arrows: shaded lanes, messages that
/// never arrived, and their legend entries.
extension SpaceTimeDiagram {
    /// Legend entries for the kinds of marks the diagram has (none for a diagram of plain messages).
    func markLegend() -> [ChartLegend.Entry] {
        var entries: [ChartLegend.Entry] = []
        if arrows.contains(where: { $0.style == .duplicate }) {
            entries.append(.init(name: "duplicate", swatch: .line(color: Self.duplicateColor, dashed: true)))
        }
        if stubs.contains(where: { $0.fate == .lost }) {
            entries.append(.init(name: "lost", swatch: .stub(color: Self.lostColor, cross: true)))
        }
        if stubs.contains(where: { $0.fate == .dropped }) {
            entries.append(.init(name: "dropped", swatch: .stub(color: Self.droppedColor, cross: false)))
        }
        return entries
    }

    /// Each shading as a translucent band over its lane, labelled small at its top left.
    func drawShading(frame: ChartFrame, axis: ChartAxis, laneCount: Int, into svg: inout SVGWriter) {
        let visible = shading.filter {
            $0.lane >= 0 && $0.lane < laneCount && $0.interval.end >= axis.lower && $0.interval.start <= axis.upper
        }
        guard !visible.isEmpty else { return }
        let spacing = frame.plotHeight / Double(laneCount)
        svg.open("g", [("class", "lane-shading")])
        for shade in visible {
            let from = frame.x(min(max(axis.fraction(shade.interval.start), 0), 1))
            let to = frame.x(min(max(axis.fraction(shade.interval.end), 0), 1))
            let width = max(to - from, 1.5)
            let top = frame.top + Double(shade.lane) * spacing + 2
            ShadedBands.band(
                x: from, y: top, width: width, height: spacing - 4, interval: shade.interval, into: &svg)
            if width >= 24 {
                svg.text(
                    SVGWriter.truncated(shade.interval.label, toWidth: width - 4, size: 9), x: from + 2, y: top + 9,
                    size: 9, fill: ChartPalette.mutedText)
            }
        }
        svg.close("g")
    }

    /// Each stub: a dashed line from its send to just short of the recipient's lane, ending in its
    /// mark.
    func drawStubs(
        events: [SpaceTimeEvent], names: [String], place: (SpaceTimeEvent) -> (x: Double, y: Double),
        laneY: (Int) -> Double, right: Double, into svg: inout SVGWriter
    ) {
        var byID: [Int: SpaceTimeEvent] = [:]
        for event in events where byID[event.id] == nil { byID[event.id] = event }
        let drawn = stubs.filter { byID[$0.fromEvent] != nil && $0.toLane >= 0 && $0.toLane < names.count }
        guard !drawn.isEmpty else { return }
        svg.open("g", [("class", "undelivered")])
        for stub in drawn {
            let send = byID[stub.fromEvent]!
            let from = place(send)
            // Towards the recipient's lane, stopping just short of it, so the mark says whose it was.
            let target = laneY(stub.toLane)
            let lanesApart = abs(Double(stub.toLane - send.lane))
            let end = (
                x: min(from.x + 12 + 10 * lanesApart, right), y: target - (target > from.y ? 9 : -9)
            )
            let lost = stub.fate == .lost
            let color = lost ? Self.lostColor : Self.droppedColor
            svg.open("g", [("class", lost ? "lost" : "dropped")])
            svg.element(
                "title", [], text: "\(names[send.lane]) → \(names[stub.toLane]): " + (lost ? "lost" : "dropped"))
            svg.line(from: from, to: end, stroke: color, width: 1.5, dash: "3 2")
            Self.drawMark(at: end, from: from, cross: lost, color: color, into: &svg)
            svg.close("g")
        }
        svg.close("g")
    }

    /// A cross (✕) centred on `point`, or a bar across the direction from `origin` to it.
    static func drawMark(
        at point: (x: Double, y: Double), from origin: (x: Double, y: Double), cross: Bool, color: String,
        into svg: inout SVGWriter
    ) {
        if cross {
            let r = 4.0
            svg.line(from: (point.x - r, point.y - r), to: (point.x + r, point.y + r), stroke: color, width: 2)
            svg.line(from: (point.x - r, point.y + r), to: (point.x + r, point.y - r), stroke: color, width: 2)
            return
        }
        let (dx, dy) = (point.x - origin.x, point.y - origin.y)
        let length = max((dx * dx + dy * dy).squareRoot(), 0.001)
        let (px, py) = (-dy / length * 5, dx / length * 5)
        svg.line(from: (point.x - px, point.y - py), to: (point.x + px, point.y + py), stroke: color, width: 2.5)
    }
}
