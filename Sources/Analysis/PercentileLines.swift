import SVGCharts

/// Per time bucket, the 10th, 50th and 90th percentile and the largest value over a set of VMs
/// (nearest rank; VMs without a value in a bucket left out), as chart points: the percentile
/// bands that replace one line per VM in the plots of a run of many VMs.
struct PercentileLines {
    var p10: [ChartPoint] = []
    var p50: [ChartPoint] = []
    var p90: [ChartPoint] = []
    var max: [ChartPoint] = []

    /// - Parameters: columns: per VM index, one value per bucket of `series`; members: the VM
    ///   indices to take.
    init(series: TimeSeries, columns: [[Int?]], members: [Int]) {
        var values: [Int] = []
        values.reserveCapacity(members.count)
        for bucket in 0..<series.bucketCount {
            values.removeAll(keepingCapacity: true)
            for member in members { if let value = columns[member][bucket] { values.append(value) } }
            guard !values.isEmpty else { continue }
            values.sort()
            let x = series.seconds(atEndOf: bucket)
            func rank(_ fraction: Double) -> ChartPoint {
                let index = Swift.max(1, Int((fraction * Double(values.count)).rounded(.up))) - 1
                return ChartPoint(x: x, y: Double(values[index]))
            }
            p10.append(rank(0.1))
            p50.append(rank(0.5))
            p90.append(rank(0.9))
            max.append(ChartPoint(x: x, y: Double(values[values.count - 1])))
        }
    }
}
