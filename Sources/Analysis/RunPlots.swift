import SVGCharts

/// The plots of a run's analysis, as SVG: clocks, queues, jump sizes, drift, and a space-time
/// diagram of the first moments after all VMs started.
public struct RunPlots {
    /// One chart: the file name it is saved under, its caption in the report, and its SVG text.
    public struct Plot {
        public var file: String
        public var caption: String
        public var svg: String

        public init(file: String, caption: String, svg: String) {
            self.file = file
            self.caption = caption
            self.svg = svg
        }
    }

    /// Upper bounds of the clock-jump histogram's buckets (the last bucket takes the rest).
    public static let jumpBounds = [1, 2, 4, 8, 16, 32, 64]
    public static let jumpLabels = ["1", "2", "3-4", "5-8", "9-16", "17-32", "33-64", ">64"]

    /// One line (and bar) per VM up to this many VMs, one color each; percentile bands of
    /// tick-rate groups above (see `VMGroups`).
    public static let lineLimit = ChartPalette.colors.count

    public var all: [Plot] = []

    public init(_ analysis: RunAnalysis) {
        let series = analysis.series
        let names = analysis.vmIDs.map { "vm\($0)" }
        let faults = FaultBands(analysis)
        guard analysis.vmIDs.count <= Self.lineLimit else {
            all = Self.groupPlots(analysis, faults: faults)
            all.append(Self.driftPlot(analysis, faults: faults))
            all.append(Self.spaceTimePlot(analysis))
            return
        }
        all.append(
            Plot(
                file: "clock.svg",
                caption: "Logical clock vs. real time per VM; dashed: configured rate x time from the VM's start"
                    + faults.caption,
                svg: LineChart(
                    title: "Lamport clock over time", xLabel: "seconds since the first log line", yLabel: "clock",
                    series: clockSeries(analysis, names: names), shaded: faults.intervals
                ).svg()))
        let queues = analysis.vmIDs.indices.map { index in
            ChartSeries(
                name: names[index],
                points: series.queue[index].enumerated().compactMap { bucket, value in
                    value.map { ChartPoint(x: series.seconds(atEndOf: bucket), y: Double($0)) }
                }, colorIndex: index)
        }
        all.append(
            Plot(
                file: "queue.svg", caption: "Longest queue per time slice, per VM" + faults.caption,
                svg: LineChart(
                    title: "Queue length over time", xLabel: "seconds", yLabel: "messages queued", series: queues,
                    shaded: faults.intervals
                )
                .svg()))
        all.append(
            Plot(
                file: "jumps.svg", caption: "How often each VM's clock jumped by how much on a receive (log scale)",
                svg: BarChart(
                    title: "Clock jump sizes", xLabel: "jump (clock moved beyond +1)", yLabel: "receives",
                    categories: Self.jumpLabels,
                    groups: analysis.summaries.enumerated().map { index, summary in
                        BarGroup(
                            name: names[index],
                            values: summary.jumps.bucketed(upperBounds: Self.jumpBounds).map(Double.init),
                            colorIndex: index)
                    }, logScale: true
                ).svg()))
        all.append(Self.driftPlot(analysis, faults: faults))
        all.append(Self.spaceTimePlot(analysis))
    }

    static func driftPlot(_ analysis: RunAnalysis, faults: FaultBands) -> Plot {
        let series = analysis.series
        let drift = series.drift().enumerated().compactMap { bucket, value in
            value.map { ChartPoint(x: series.seconds(atEndOf: bucket), y: Double($0)) }
        }
        return Plot(
            file: "drift.svg", caption: "Largest clock gap between any two VMs over time" + faults.caption,
            svg: LineChart(
                title: "Clock drift between VMs", xLabel: "seconds", yLabel: "largest clock gap",
                series: [ChartSeries(name: "max - min clock", points: drift)], shaded: faults.intervals
            ).svg())
    }

    private func clockSeries(_ analysis: RunAnalysis, names: [String]) -> [ChartSeries] {
        let series = analysis.series
        var result: [ChartSeries] = []
        for index in analysis.vmIDs.indices {
            let filled = series.filledClock(vmIndex: index)
            result.append(
                ChartSeries(
                    name: names[index],
                    points: filled.enumerated().compactMap { bucket, value in
                        value.map { ChartPoint(x: series.seconds(atEndOf: bucket), y: Double($0)) }
                    }, colorIndex: index))
            let summary = analysis.summaries[index]
            if let rate = summary.configuredTickRate, rate.isFinite, !summary.tickRateChanged,
                let first = summary.firstTick
            {
                let startSeconds = Double(first - analysis.start) / 1_000_000
                let endSeconds = Double(summary.lastTick - analysis.start) / 1_000_000
                result.append(
                    ChartSeries(
                        name: "",
                        points: [
                            ChartPoint(x: startSeconds, y: 0),
                            ChartPoint(x: endSeconds, y: rate * (endSeconds - startSeconds)),
                        ], dashed: true, colorIndex: index))
            }
        }
        return result
    }

    static func spaceTimePlot(_ analysis: RunAnalysis) -> Plot {
        let view = SpaceTimeView(analysis)
        return Plot(
            file: "spacetime.svg",
            caption: view.caption + "; arrows are messages, numbers are Lamport clocks" + view.marks.caption,
            svg: view.svg())
    }
}
