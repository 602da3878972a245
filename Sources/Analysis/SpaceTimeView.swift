import Foundation
import SVGCharts

/// The space-time diagram of a run's window (`SpaceTimeWindow`): its lanes (every VM, or the
/// focal VM and its peers of a focused window), the marks of faults, and the caption saying which
/// VMs and what stretch of time it shows.
struct SpaceTimeView {
    let analysis: RunAnalysis
    /// VM ids, one per lane, top to bottom.
    let laneIDs: [Int]
    let marks: SpaceTimeMarks

    init(_ analysis: RunAnalysis) {
        self.analysis = analysis
        laneIDs = analysis.window.lanes ?? analysis.vmIDs
        marks = SpaceTimeMarks(analysis, lanes: Self.laneIndex(laneIDs))
    }

    private static func laneIndex(_ ids: [Int]) -> [Int: Int] {
        Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Which events, VMs and time the diagram shows.
    var caption: String {
        let window = analysis.window
        guard let lanes = window.lanes, let focus = lanes.first else {
            return "Space-time diagram of the first \(window.events.count) events after all VMs started"
        }
        let rate = window.focusRate.map { $0.isInfinite ? "max" : Spread.number($0) + "/s" } ?? "-"
        var text =
            "Space-time diagram of \(lanes.count) of the \(analysis.vmIDs.count) VMs: VM \(focus) (the highest "
            + "configured tick rate, \(rate)) and the peers it exchanged messages with first"
            + (lanes.count > 1 ? " (VMs " + lanes.dropFirst().map(String.init).joined(separator: ", ") + ")" : "")
        if let first = window.events.first, let last = window.events.last {
            text +=
                "; their first \(window.events.count) events "
                + (window.startsAtFault
                    ? "after the first fault on these lanes started" : "once those peers were known")
                + ", from \(seconds(first.time)) s to \(seconds(last.time)) s after the run's first log line"
        }
        return text + "; messages to or from other VMs are not drawn"
    }

    private func seconds(_ time: Int64) -> String {
        String(format: "%.2f", Double(time - analysis.start) / 1_000_000)
    }

    func svg() -> String {
        let window = analysis.window
        let origin = window.events.first?.time ?? analysis.start
        let lanes = Self.laneIndex(laneIDs)
        let events = window.events.enumerated().map { id, event in
            SpaceTimeEvent(
                id: id, lane: lanes[event.vm] ?? 0, time: Double(event.time - origin) / 1_000_000,
                kind: event.kind == .send ? .send : (event.kind == .receive ? .receive : .internalEvent),
                clock: event.clock)
        }
        return SpaceTimeDiagram(
            title: "Space-time diagram",
            xLabel: window.startsAtFault
                ? "seconds after the first fault started"
                : (window.lanes == nil ? "seconds after all VMs started" : "seconds from the window's first event"),
            lanes: laneIDs.map { "vm\($0)" }, events: events,
            arrows: marks.arrows, stubs: marks.stubs, shading: marks.shading
        ).svg()
    }
}
