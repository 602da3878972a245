import SVGCharts

/// The clock, queue and jump plots of a run of more than `RunPlots.lineLimit` VMs: percentile
/// bands and histograms of tick-rate groups (`VMGroups`) instead of one line or bar per VM.
extension RunPlots {
    static func groupPlots(_ analysis: RunAnalysis, faults: FaultBands) -> [Plot] {
        let series = analysis.series
        let groups = VMGroups(analysis.summaries).groups
        let everyone = Array(analysis.vmIDs.indices)
        let clocks = everyone.map(series.filledClock(vmIndex:))
        var clockBands: [ChartBand] = []
        var clockLines: [ChartSeries] = []
        for (number, group) in groups.enumerated() {
            let lines = PercentileLines(series: series, columns: clocks, members: group.members)
            clockBands.append(
                ChartBand(name: "", lower: lines.p10, upper: lines.p90, colorIndex: number))
            clockLines.append(
                ChartSeries(
                    name: "\(group.label) (\(group.members.count) VMs)", points: lines.p50, colorIndex: number))
        }
        let highest = PercentileLines(series: series, columns: clocks, members: everyone)
        clockLines.append(ChartSeries(name: "max of all VMs", points: highest.max, dashed: true, colorIndex: 6))
        let clock = Plot(
            file: "clock.svg",
            caption: "Logical clock vs. real time of \(analysis.vmIDs.count) VMs in \(groups.count) groups by "
                + "configured tick rate: per group the median clock (line) and the 10th-90th percentile band "
                + "(shaded); dashed: the highest clock of any VM" + faults.caption,
            svg: LineChart(
                title: "Lamport clock over time", xLabel: "seconds since the first log line", yLabel: "clock",
                series: clockLines, shaded: faults.intervals, bands: clockBands
            ).svg())

        let queues = PercentileLines(
            series: series, columns: everyone.map(series.filledQueue(vmIndex:)), members: everyone)
        let queue = Plot(
            file: "queue.svg",
            caption: "Longest queue per time slice over all \(analysis.vmIDs.count) VMs: median, 10th-90th "
                + "percentile band and the longest of any VM" + faults.caption,
            svg: LineChart(
                title: "Queue length over time", xLabel: "seconds", yLabel: "messages queued",
                series: [
                    ChartSeries(name: "median", points: queues.p50, colorIndex: 0),
                    ChartSeries(name: "max of all VMs", points: queues.max, dashed: true, colorIndex: 6),
                ], shaded: faults.intervals,
                bands: [ChartBand(name: "p10-p90", lower: queues.p10, upper: queues.p90, colorIndex: 0)]
            ).svg())

        let jumps = Plot(
            file: "jumps.svg",
            caption: "How often the clocks of each tick-rate group's VMs jumped by how much on a receive, all of "
                + "the group's receives together (log scale)",
            svg: BarChart(
                title: "Clock jump sizes", xLabel: "jump (clock moved beyond +1)", yLabel: "receives",
                categories: jumpLabels,
                groups: groups.enumerated().map { number, group in
                    var merged = JumpHistogram()
                    for index in group.members { merged.merge(analysis.summaries[index].jumps) }
                    return BarGroup(
                        name: "\(group.label) (\(group.members.count) VMs)",
                        values: merged.bucketed(upperBounds: jumpBounds).map(Double.init), colorIndex: number)
                }, logScale: true
            ).svg())
        return [clock, queue, jumps]
    }
}
