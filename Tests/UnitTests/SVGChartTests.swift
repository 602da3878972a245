import Foundation
import Testing

@testable import SVGCharts

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG document checked for well-formedness by `XMLParser`, kept as a flat list of elements.
final class ParsedSVG: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
        /// Enclosing elements, outermost first, as "name" or "name.class".
        let ancestors: [String]
        var text = ""
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []

    static func parse(_ svg: String) throws -> ParsedSVG {
        let parser = XMLParser(data: Data(svg.utf8))
        let result = ParsedSVG()
        parser.delegate = result
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        return result
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let ancestors = open.map { index in
            elements[index].attributes["class"].map { elements[index].name + "." + $0 } ?? elements[index].name
        }
        elements.append(Element(name: elementName, attributes: attributes, ancestors: ancestors))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func named(_ name: String, inside ancestor: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (ancestor.map($0.ancestors.contains) ?? true) }
    }

    var texts: [String] { named("text").map(\.text) }

    /// Whether every attribute value is free of "nan" and "inf".
    var hasOnlyFiniteNumbers: Bool {
        elements.allSatisfy { element in
            element.attributes.values.allSatisfy { !$0.lowercased().contains("nan") && !$0.contains("inf") }
        }
    }
}

@Suite struct SVGChartTests {
    static let tricky = #"a<b & "c""#

    static func clocks(vm: Int, rate: Double) -> [ChartPoint] {
        (0...60).map { ChartPoint(x: Double($0) * 0.5, y: Double($0) * 0.5 * rate + Double(vm * $0 % 7)) }
    }

    static let lineChart = LineChart(
        title: "Logical clocks", xLabel: "time (s)", yLabel: "clock",
        series: [1, 2, 3].map { ChartSeries(name: "vm\($0)", points: clocks(vm: $0, rate: Double($0 * 2))) }
            + [1, 2, 3].map {
                ChartSeries(
                    name: "vm\($0) rate × t", points: [.init(x: 0, y: 0), .init(x: 30, y: Double($0 * 60))],
                    dashed: true, colorIndex: $0 - 1)
            })

    static let barChart = BarChart(
        title: "Clock jumps", xLabel: "jump size", yLabel: "receives", categories: ["1", "2", "3-4", "5-8", ">8"],
        groups: (1...3).map { BarGroup(name: "vm\($0)", values: [500, 120, Double($0 * 10), 0, 1]) },
        logScale: true, showsValues: true)

    static let spaceTime = SpaceTimeDiagram(
        title: "Space-time", lanes: ["vm1", "vm2", "vm3"],
        events: [
            .init(id: 1, lane: 0, time: 0.1, kind: .internalEvent, clock: 1),
            .init(id: 2, lane: 0, time: 0.2, kind: .send, clock: 2),
            .init(id: 3, lane: 1, time: 0.35, kind: .receive, clock: 3),
            .init(id: 4, lane: 2, time: 0.3, kind: .send, clock: 1),
            .init(id: 5, lane: 1, time: 0.5, kind: .receive, clock: 4),
            .init(id: 6, lane: 2, time: 0.6, kind: .internalEvent, clock: 2),
        ],
        arrows: [.init(fromEvent: 2, toEvent: 3), .init(fromEvent: 4, toEvent: 5), .init(fromEvent: 9, toEvent: 5)])

    @Test func lineChartIsWellFormedWithTitleAxesAndLegend() throws {
        let svg = Self.lineChart.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let parsed = try ParsedSVG.parse(svg)
        let root = try #require(parsed.elements.first)
        #expect(root.attributes["viewBox"] == "0 0 800 400")
        #expect(root.attributes["width"] == "800" && root.attributes["height"] == "400")
        #expect(parsed.texts.contains("Logical clocks"))
        #expect(parsed.texts.contains("time (s)") && parsed.texts.contains("clock"))
        for name in ["vm1", "vm2", "vm3", "vm1 rate × t"] { #expect(parsed.texts.contains(name)) }
        #expect(parsed.named("polyline").count == 6)
        #expect(parsed.named("polyline").filter { $0.attributes["stroke-dasharray"] != nil }.count == 3)
        #expect(parsed.hasOnlyFiniteNumbers)
    }

    @Test func barChartIsWellFormedWithTitleAndLegend() throws {
        let parsed = try ParsedSVG.parse(Self.barChart.svg())
        #expect(parsed.texts.contains("Clock jumps"))
        for name in ["vm1", "vm2", "vm3", "3-4", ">8"] { #expect(parsed.texts.contains(name)) }
        #expect(parsed.hasOnlyFiniteNumbers)
    }

    @Test func spaceTimeDiagramDrawsOneCirclePerEventAndOneArrowPerMessage() throws {
        let parsed = try ParsedSVG.parse(Self.spaceTime.svg())
        #expect(parsed.texts.contains("Space-time"))
        for name in ["vm1", "vm2", "vm3", "time (s)", "send", "receive"] { #expect(parsed.texts.contains(name)) }
        #expect(parsed.named("circle", inside: "g.events").count == 6)
        let arrows = parsed.named("line", inside: "g.messages")
        #expect(arrows.count == 2)  // the third names no event in the diagram
        let marker = try #require(parsed.named("marker").first?.attributes["id"])
        #expect(arrows.allSatisfy { $0.attributes["marker-end"] == "url(#\(marker))" })
        #expect(parsed.named("text", inside: "g.clocks").map(\.text).sorted() == ["1", "1", "2", "2", "3", "4"])
        #expect(parsed.hasOnlyFiniteNumbers)
    }

    @Test func spaceTimeDiagramLeavesOutClockLabelsWhenCrowded() throws {
        let events = (0..<200).map {
            SpaceTimeEvent(id: $0, lane: $0 % 4, time: Double($0) / 100, kind: .send, clock: $0)
        }
        let parsed = try ParsedSVG.parse(SpaceTimeDiagram(title: "", lanes: [], events: events, arrows: []).svg())
        #expect(parsed.named("circle", inside: "g.events").count == 200)
        #expect(parsed.named("text", inside: "g.clocks").isEmpty)
        #expect(parsed.texts.contains("vm4"))  // unnamed lanes get default names
    }

    @Test func textIsEscaped() throws {
        let charts = [
            LineChart(
                title: Self.tricky, xLabel: Self.tricky, yLabel: Self.tricky,
                series: [ChartSeries(name: Self.tricky, points: [.init(x: 0, y: 1), .init(x: 1, y: 2)])]
            ).svg(),
            BarChart(
                title: Self.tricky, xLabel: "", yLabel: "", categories: [Self.tricky],
                groups: [BarGroup(name: Self.tricky, values: [3])]
            ).svg(),
            SpaceTimeDiagram(
                title: Self.tricky, lanes: [Self.tricky],
                events: [.init(id: 1, lane: 0, time: 0, kind: .internalEvent, clock: 1)], arrows: []
            ).svg(),
        ]
        for svg in charts {
            #expect(svg.contains("a&lt;b &amp; &quot;c&quot;"))
            #expect(!svg.contains("a<b"))
            let parsed = try ParsedSVG.parse(svg)
            #expect(parsed.named("title").first?.text == Self.tricky)
            #expect(parsed.texts.filter { $0 == Self.tricky }.count >= 2)
        }
    }

    @Test func emptyDataGivesANoDataChart() throws {
        let charts = [
            LineChart(title: "Queue", xLabel: "t", yLabel: "q", series: []).svg(),
            LineChart(title: "Queue", xLabel: "t", yLabel: "q", series: [ChartSeries(name: "vm1", points: [])]).svg(),
            LineChart(
                title: "Queue", xLabel: "t", yLabel: "q",
                series: [ChartSeries(name: "vm1", points: [.init(x: .nan, y: 1)])]
            ).svg(),
            BarChart(title: "Queue", xLabel: "", yLabel: "", categories: [], groups: [BarGroup(name: "a", values: [1])])
                .svg(),
            BarChart(title: "Queue", xLabel: "", yLabel: "", categories: ["x"], groups: []).svg(),
            SpaceTimeDiagram(title: "Queue", lanes: ["vm1", "vm2"], events: [], arrows: []).svg(),
        ]
        for svg in charts {
            let parsed = try ParsedSVG.parse(svg)
            #expect(parsed.texts.contains("no data"))
            #expect(parsed.texts.contains("Queue"))
            #expect(parsed.hasOnlyFiniteNumbers)
        }
    }

    @Test(arguments: [ChartPoint(x: 0, y: 0), ChartPoint(x: 12.5, y: 40), ChartPoint(x: -3, y: -1e9)])
    func lineChartWithOnePointDrawsADot(point: ChartPoint) throws {
        let chart = LineChart(
            title: "Drift", xLabel: "time (s)", yLabel: "gap", series: [ChartSeries(name: "drift", points: [point])])
        let parsed = try ParsedSVG.parse(chart.svg())
        #expect(parsed.named("circle").count == 1)
        #expect(!parsed.texts.contains("no data"))
        #expect(parsed.hasOnlyFiniteNumbers)
    }

    @Test func logScaleBarChartHandlesZeros() throws {
        let allZero = BarChart(
            title: "Jumps", xLabel: "", yLabel: "", categories: ["1", "2"],
            groups: [BarGroup(name: "vm1", values: [0, 0])], logScale: true, showsValues: true)
        let mixed = BarChart(
            title: "Jumps", xLabel: "", yLabel: "", categories: ["1", "2", "3"],
            groups: [BarGroup(name: "vm1", values: [0, 1, 123_456]), BarGroup(name: "vm2", values: [7, 0, -2])],
            logScale: true)
        for (chart, bars) in [(allZero, 0), (mixed, 3)] {
            let parsed = try ParsedSVG.parse(chart.svg())
            #expect(parsed.hasOnlyFiniteNumbers)
            #expect(!parsed.texts.contains("no data"))
            #expect(parsed.named("title", inside: "rect").count == bars)  // zero-height bars are not drawn
        }
        let ticks = try ParsedSVG.parse(mixed.svg()).texts
        for label in ["0", "1", "10", "100", "1k", "10k", "100k", "1M"] { #expect(ticks.contains(label)) }
    }

    @Test func axisTicksFollowOneTwoFiveSteps() {
        #expect(ChartAxis(covering: 0, 97, targetTicks: 5).ticks == [0, 20, 40, 60, 80, 100])
        #expect(ChartAxis(covering: 3, 11, targetTicks: 4).ticks == [2, 4, 6, 8, 10, 12])
        #expect(ChartAxis(covering: 0, 0.37, targetTicks: 4).tickLabels == ["0", "0.1", "0.2", "0.3", "0.4"])
        #expect(ChartAxis(covering: 0, 45_000, targetTicks: 5).tickLabels == ["0", "10k", "20k", "30k", "40k", "50k"])
        #expect(
            ChartAxis(covering: 0, 2.4e6, targetTicks: 5).tickLabels == ["0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"])
        let flat = ChartAxis(covering: 5, 5, targetTicks: 5)
        #expect(flat.lower < 5 && flat.upper > 5 && flat.fraction(5).isFinite)
    }

    @Test func numbersAreCompactAndFinite() {
        #expect(SVGNumber.coordinate(12.04) == "12")
        #expect(SVGNumber.coordinate(12.06) == "12.1")
        #expect(SVGNumber.coordinate(-0.04) == "0")
        #expect(SVGNumber.coordinate(.nan) == "0")
        #expect(SVGNumber.coordinate(-.infinity) == "0")
        #expect(SVGNumber.fixed(-1.5, decimals: 2) == "-1.50")
        #expect(SVGNumber.fixed(0.05, decimals: 1) == "0.1")
    }

    @Test func paletteWrapsAround() {
        #expect(ChartPalette.color(ChartPalette.colors.count) == ChartPalette.color(0))
        #expect(ChartPalette.color(-1) == ChartPalette.colors.last)
    }
}
