/// A space-time (Lamport) diagram: one horizontal lane per VM, time along x, each event a dot
/// colored by kind (internal gray, send blue, receive green) and, below `labelLimit` events,
/// labelled with its clock value; each message an arrow from send to receive. Without events the
/// diagram says "no data". Event dots are the circles in `<g class="events">`, message arrows the
/// lines in `<g class="messages">` (each with `marker-end`; duplicates dashed, with
/// `class="duplicate"`). Messages that never arrived are `stubs` (`<g class="undelivered">`, one
/// `<g class="lost">` or `<g class="dropped">` each), and `shading` marks stretches of lanes
/// (`<g class="lane-shading">`, `<rect class="band">`). The legend lists duplicates, lost and
/// dropped messages only when the diagram has some.
public struct SpaceTimeDiagram: Sendable, Equatable {
    public var title: String
    public var xLabel: String
    /// Lane names, e.g. "vm1"…"vmN"; lanes used by events but not named here are called
    /// "vm<lane + 1>".
    public var lanes: [String]
    public var events: [SpaceTimeEvent]
    public var arrows: [SpaceTimeArrow]
    public var stubs: [SpaceTimeStub]
    public var shading: [SpaceTimeShading]
    /// Size in px (at least 200×150); a nil height gives each lane 64 px.
    public var width: Double
    public var height: Double?

    /// Clock labels are drawn only when there are fewer events than this.
    public static let labelLimit = 150

    public init(
        title: String, xLabel: String = "time (s)", lanes: [String], events: [SpaceTimeEvent],
        arrows: [SpaceTimeArrow], stubs: [SpaceTimeStub] = [], shading: [SpaceTimeShading] = [],
        width: Double = 800, height: Double? = nil
    ) {
        self.title = title
        self.xLabel = xLabel
        self.lanes = lanes
        self.events = events
        self.arrows = arrows
        self.stubs = stubs
        self.shading = shading
        self.width = width
        self.height = height
    }

    /// The diagram as a standalone SVG document (also valid inline in HTML).
    public func svg() -> String {
        let shown = events.filter { $0.lane >= 0 && $0.time.isFinite }
        let laneCount = max(lanes.count, (shown.map(\.lane).max() ?? -1) + 1)
        let names = (0..<laneCount).map { $0 < lanes.count ? lanes[$0] : "vm\($0 + 1)" }
        let top = ChartFrame.topMargin(title: title)
        let bottom = ChartFrame.bottomMargin(xLabel: xLabel)
        let size = ChartFrame.size(
            width: width, height: height ?? top + bottom + max(80, 64 * Double(laneCount)))
        guard let first = shown.first else {
            return ChartFrame.noData(width: size.width, height: size.height, title: title)
        }
        let legend = ChartLegend(
            [
                .init(name: "internal", swatch: .dot(color: ChartPalette.internalEvent)),
                .init(name: "send", swatch: .dot(color: ChartPalette.sendEvent)),
                .init(name: "receive", swatch: .dot(color: ChartPalette.receiveEvent)),
                .init(name: "message", swatch: .line(color: Self.arrowColor, dashed: false)),
            ] + markLegend())
        let frame = ChartFrame(
            width: size.width, height: size.height, left: ChartFrame.leftMargin(tickLabels: names, yLabel: "") + 4,
            top: top, bottom: bottom, legendWidth: legend.width)
        let (start, end) = shown.reduce((first.time, first.time)) { (min($0.0, $1.time), max($0.1, $1.time)) }
        let xAxis = frame.xAxis(covering: start, end)
        let spacing = frame.plotHeight / Double(laneCount)
        let place = { (event: SpaceTimeEvent) in
            (x: frame.x(xAxis.fraction(event.time)), y: frame.top + (Double(event.lane) + 0.5) * spacing)
        }

        var svg = SVGWriter(width: size.width, height: size.height)
        let marker = markerID()
        drawMarker(id: marker, into: &svg)
        frame.drawTitle(title, into: &svg)
        drawShading(frame: frame, axis: xAxis, laneCount: laneCount, into: &svg)
        frame.drawXAxis(xAxis, label: xLabel, into: &svg)
        for (lane, name) in names.enumerated() {
            let y = frame.top + (Double(lane) + 0.5) * spacing
            svg.line(from: (frame.left, y), to: (frame.right, y), stroke: "#bbbbbb")
            svg.text(name, x: frame.left - 8, y: y + 4, anchor: .end)
        }
        let crowded = shown.count >= Self.labelLimit
        let radius = crowded ? 3.0 : 4.0
        drawArrows(events: shown, place: place, marker: marker, radius: radius, crowded: crowded, into: &svg)
        drawStubs(
            events: shown, names: names, place: place, laneY: { frame.top + (Double($0) + 0.5) * spacing },
            right: frame.right, into: &svg)
        drawEvents(shown, names: names, place: place, radius: radius, into: &svg)
        svg.line(from: (frame.left, frame.bottom), to: (frame.right, frame.bottom), stroke: ChartPalette.axis)
        legend.draw(in: frame, into: &svg)
        return svg.document(title: title)
    }

    static let arrowColor = "#555555"
    static let duplicateColor = "#CC79A7"
    static let lostColor = "#D55E00"
    static let droppedColor = "#777777"

    /// The arrowhead, as a `<marker>` in `<defs>`.
    private func drawMarker(id: String, into svg: inout SVGWriter) {
        svg.open("defs")
        svg.open(
            "marker",
            [
                ("id", id), ("viewBox", "0 0 10 10"), ("refX", "10"), ("refY", "5"), ("markerWidth", "8"),
                ("markerHeight", "8"), ("markerUnits", "userSpaceOnUse"), ("orient", "auto"),
            ])
        svg.element("path", [("d", "M0,1L10,5L0,9z"), ("fill", Self.arrowColor)])
        svg.close("marker")
        svg.close("defs")
    }

    private func drawArrows(
        events: [SpaceTimeEvent], place: (SpaceTimeEvent) -> (x: Double, y: Double), marker: String,
        radius: Double, crowded: Bool, into svg: inout SVGWriter
    ) {
        var byID: [Int: SpaceTimeEvent] = [:]
        for event in events where byID[event.id] == nil { byID[event.id] = event }
        svg.open("g", [("class", "messages"), ("opacity", crowded ? "0.5" : "0.85")])
        for arrow in arrows {
            guard let send = byID[arrow.fromEvent], let receive = byID[arrow.toEvent] else { continue }
            let duplicate = arrow.style == .duplicate
            let from = place(send)
            var to = place(receive)
            let (dx, dy) = (to.x - from.x, to.y - from.y)
            let length = (dx * dx + dy * dy).squareRoot()
            if length > 3 * radius {  // end the arrowhead at the receive dot's edge
                let cut = (radius + 1) / length
                to = (to.x - dx * cut, to.y - dy * cut)
            }
            svg.line(
                from: from, to: to, stroke: duplicate ? Self.duplicateColor : Self.arrowColor,
                width: duplicate ? 1.5 : 1, dash: duplicate ? "5 3" : nil,
                extra: (duplicate ? [("class", "duplicate")] : []) + [("marker-end", "url(#\(marker))")])
        }
        svg.close("g")
    }

    private func drawEvents(
        _ events: [SpaceTimeEvent], names: [String], place: (SpaceTimeEvent) -> (x: Double, y: Double),
        radius: Double, into svg: inout SVGWriter
    ) {
        svg.open("g", [("class", "events")])
        for event in events {
            let (x, y) = place(event)
            let tooltip =
                "\(names[event.lane]) \(Self.kindName(event.kind)), clock \(event.clock), "
                + SVGNumber.fixed(event.time, decimals: 3) + " s"
            svg.circle(x: x, y: y, radius: radius, fill: Self.color(event.kind), tooltip: tooltip)
        }
        svg.close("g")
        guard events.count < Self.labelLimit else { return }
        // Alternate labels above and below the lane, in time order, so neighbours do not collide.
        let order = events.indices.sorted { (events[$0].lane, events[$0].time) < (events[$1].lane, events[$1].time) }
        var below = false
        var lane = -1
        svg.open("g", [("class", "clocks"), ("font-size", "9"), ("fill", "#333333"), ("text-anchor", "middle")])
        for index in order {
            let event = events[index]
            below = event.lane == lane ? !below : false
            lane = event.lane
            let (x, y) = place(event)
            svg.element(
                "text", [("x", SVGNumber.coordinate(x)), ("y", SVGNumber.coordinate(below ? y + 14 : y - 7))],
                text: String(event.clock))
        }
        svg.close("g")
    }

    private static func color(_ kind: SpaceTimeEvent.Kind) -> String {
        switch kind {
        case .internalEvent: ChartPalette.internalEvent
        case .send: ChartPalette.sendEvent
        case .receive: ChartPalette.receiveEvent
        }
    }

    private static func kindName(_ kind: SpaceTimeEvent.Kind) -> String {
        switch kind {
        case .internalEvent: "internal"
        case .send: "send"
        case .receive: "receive"
        }
    }

    /// An id for the arrowhead marker, derived from the diagram (FNV-1a), so that several diagrams
    /// inlined in one HTML page do not share one.
    private func markerID() -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let key = "\(title)|\(lanes)|\(events.count)|\(arrows.count)|\(events.first?.time ?? 0)"
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "st-arrow-" + String(hash % 0x1_0000_0000, radix: 16)
    }
}
