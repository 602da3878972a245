import SVGCharts

/// A run's faults as shaded intervals of the time plots (seconds since the run's first line),
/// colored by kind, and the sentence the plots' captions add about them (empty without faults).
struct FaultBands {
    let intervals: [ShadedInterval]
    let caption: String

    init(_ analysis: RunAnalysis) {
        intervals = analysis.faults.map { Self.shaded($0, origin: analysis.start) }
        guard !analysis.faults.isEmpty else {
            caption = ""
            return
        }
        var text =
            ". Shaded: the faults (one color per kind), each from its fault line to its heal line (or its VM's "
            + "last line), labelled above the plot with its VM, kind and parameters, and → the peers it acts on when "
            + "it names some"
        if analysis.faults.contains(where: { $0.kind == "clock_skew" }) {
            text +=
                ". A clock_skew fault shifts its VM's time stamps while it is active: that VM's points, and the "
                + "start of the fault's own band, are shifted by the skew"
        }
        caption = text
    }

    /// `fault` as a shaded interval, its times in seconds after `origin` (microseconds).
    static func shaded(_ fault: FaultInterval, origin: Int64) -> ShadedInterval {
        ShadedInterval(
            start: Double(fault.start - origin) / 1_000_000, end: Double(fault.end - origin) / 1_000_000,
            label: fault.label, detail: "\(fault.parameters); ended: \(fault.endingText)",
            colorIndex: colorIndex(fault.kind))
    }

    /// One color per kind (ChartPalette.bandColors), so the same kind looks the same everywhere.
    static func colorIndex(_ kind: String) -> Int {
        switch kind {
        case "partition": 0
        case "loss": 1
        case "duplicate": 2
        case "delay": 3
        case "clock_skew": 4
        default: 7
        }
    }
}
