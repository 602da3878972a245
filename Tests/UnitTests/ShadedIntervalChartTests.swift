import Testing

@testable import SVGCharts

/// Shaded intervals on line charts, and the marks of undelivered and duplicated messages and
/// shaded lanes on the space-time diagram.
@Suite struct ShadedIntervalChartTests {
    static let intervals = [
        ShadedInterval(start: 5, end: 12, label: "VM1 partition →2", detail: "for 7 s", colorIndex: 0),
        ShadedInterval(start: 8, end: 20, label: "VM2 loss 50%", colorIndex: 1),
        ShadedInterval(start: 30, end: 40, label: "off the axis", colorIndex: 2),
        ShadedInterval(start: 22, end: 22, label: "instant", colorIndex: 3),
    ]

    static func chart(_ shaded: [ShadedInterval]) -> LineChart {
        LineChart(
            title: "Clocks", xLabel: "seconds", yLabel: "clock",
            series: [ChartSeries(name: "vm1", points: (0...24).map { ChartPoint(x: Double($0), y: Double($0 * 3)) })],
            shaded: shaded)
    }

    @Test("each interval on the axis is a band over the plot and a labelled bar above it; overlaps take rows")
    func bandsAndBars() throws {
        let parsed = try ParsedSVG.parse(Self.chart(Self.intervals).svg())
        let bands = parsed.named("rect", inside: "g.shaded-intervals").filter { $0.attributes["class"] == "band" }
        let bars = parsed.named("rect", inside: "g.shaded-intervals").filter { $0.attributes["class"] == "band-bar" }
        #expect(bands.count == 3 && bars.count == 3)  // "off the axis" starts after the data's axis ends
        #expect(parsed.named("text", inside: "g.shaded-intervals").map(\.text).contains("VM1 partition →2"))
        #expect(parsed.named("title").map(\.text).contains("VM1 partition →2: for 7 s"))
        // The first two overlap: different rows.
        #expect(Set(bars.prefix(2).map { $0.attributes["y"] }).count == 2)
        // The instant one still shows.
        let widths = bands.compactMap { $0.attributes["width"].flatMap(Double.init) }
        #expect(widths.allSatisfy { $0 >= 1.5 })
        // Bands lie under the plot (drawn first), and the plot moved down to make room for the bars.
        let barBottom = bars.compactMap { $0.attributes["y"].flatMap(Double.init) }.max()! + 13
        #expect(bands.allSatisfy { Double($0.attributes["y"]!)! >= barBottom })
        #expect(parsed.hasOnlyFiniteNumbers)
    }

    @Test("a chart without intervals has no shading and the same layout as before")
    func noIntervals() throws {
        let plain = Self.chart([]).svg()
        #expect(!plain.contains("shaded-intervals"))
        #expect(
            plain == LineChart(title: "Clocks", xLabel: "seconds", yLabel: "clock", series: Self.chart([]).series).svg()
        )
    }

    static let events: [SpaceTimeEvent] = [
        .init(id: 0, lane: 0, time: 0.1, kind: .send, clock: 1),
        .init(id: 1, lane: 1, time: 0.2, kind: .receive, clock: 2),
        .init(id: 2, lane: 1, time: 0.3, kind: .receive, clock: 3),
        .init(id: 3, lane: 2, time: 0.4, kind: .send, clock: 1),
        .init(id: 4, lane: 2, time: 0.5, kind: .internalEvent, clock: 2),
    ]

    @Test("duplicates are dashed arrows, lost and dropped copies stubs with their marks, faults shaded lanes")
    func spaceTimeMarks() throws {
        let diagram = SpaceTimeDiagram(
            title: "Space-time", lanes: ["vm1", "vm2", "vm3"], events: Self.events,
            arrows: [.init(fromEvent: 0, toEvent: 1), .init(fromEvent: 0, toEvent: 2, style: .duplicate)],
            stubs: [
                .init(fromEvent: 3, toLane: 0, fate: .lost), .init(fromEvent: 3, toLane: 1, fate: .dropped),
                .init(fromEvent: 3, toLane: 7, fate: .lost),
            ],
            shading: [
                .init(lane: 2, interval: ShadedInterval(start: 0.3, end: 0.9, label: "VM3 loss 50%", colorIndex: 1)),
                .init(lane: 5, interval: ShadedInterval(start: 0.3, end: 0.9, label: "no such lane")),
            ])
        let parsed = try ParsedSVG.parse(diagram.svg())
        let arrows = parsed.named("line", inside: "g.messages")
        #expect(arrows.count == 2)
        #expect(arrows.filter { $0.attributes["class"] == "duplicate" }.count == 1)
        #expect(arrows.first { $0.attributes["class"] == "duplicate" }?.attributes["stroke-dasharray"] != nil)
        #expect(parsed.named("g", inside: "g.undelivered").map { $0.attributes["class"] } == ["lost", "dropped"])
        #expect(parsed.named("line", inside: "g.lost").count == 3)  // the stub and the two strokes of ✕
        #expect(parsed.named("line", inside: "g.dropped").count == 2)  // the stub and its bar
        #expect(parsed.named("title", inside: "g.lost").map(\.text) == ["vm3 → vm1: lost"])
        #expect(parsed.named("rect", inside: "g.lane-shading").count == 1)
        #expect(parsed.texts.contains("VM3 loss 50%"))
        for name in ["duplicate", "lost", "dropped"] { #expect(parsed.texts.contains(name)) }
        #expect(parsed.hasOnlyFiniteNumbers)
    }

    @Test("a diagram of plain messages has no marks and no legend entries for them")
    func spaceTimeWithoutMarks() throws {
        let parsed = try ParsedSVG.parse(
            SpaceTimeDiagram(
                title: "Space-time", lanes: ["vm1", "vm2", "vm3"], events: Self.events,
                arrows: [.init(fromEvent: 0, toEvent: 1)]
            ).svg())
        #expect(
            parsed.named("g").allSatisfy { !["undelivered", "lane-shading"].contains($0.attributes["class"] ?? "") })
        for name in ["duplicate", "lost", "dropped"] { #expect(!parsed.texts.contains(name)) }
    }
}
