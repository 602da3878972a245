import SVGCharts

/// What the space-time diagram draws of a run's faults: duplicate receives as dashed arrows, lost
/// and dropped copies as stubs, the faults active in the window as shaded stretches of their VM's
/// lane, and the sentence the caption adds (empty when the window shows none of them).
struct SpaceTimeMarks {
    var arrows: [SpaceTimeArrow] = []
    var stubs: [SpaceTimeStub] = []
    var shading: [SpaceTimeShading] = []

    /// - Parameter lanes: VM id -> lane of the diagram (VMs without a lane get no marks).
    init(_ analysis: RunAnalysis, lanes: [Int: Int]) {
        let window = analysis.window
        let origin = window.events.first?.time ?? analysis.start
        arrows = window.arrows().map { pair in
            SpaceTimeArrow(
                fromEvent: pair.send, toEvent: pair.receive,
                style: window.events[pair.receive].duplicate ? .duplicate : .message)
        }
        for (index, event) in window.events.enumerated() where event.kind == .send {
            stubs += event.lost.compactMap {
                lanes[$0].map { SpaceTimeStub(fromEvent: index, toLane: $0, fate: .lost) }
            }
            stubs += event.dropped.compactMap {
                lanes[$0].map { SpaceTimeStub(fromEvent: index, toLane: $0, fate: .dropped) }
            }
        }
        if let first = window.events.first, let last = window.events.last {
            shading = analysis.faults.compactMap { fault in
                guard fault.end >= first.time, fault.start <= last.time, let lane = lanes[fault.vm] else { return nil }
                return SpaceTimeShading(lane: lane, interval: FaultBands.shaded(fault, origin: origin))
            }
        }
    }

    /// The caption's sentence about the marks drawn ("" when there are none).
    var caption: String {
        var parts: [String] = []
        if arrows.contains(where: { $0.style == .duplicate }) {
            parts.append("dashed purple arrows are duplicates (a second copy a duplicate fault made)")
        }
        if stubs.contains(where: { $0.fate == .lost }) {
            parts.append("a stub ending in ✕ is a copy a loss fault destroyed")
        }
        if stubs.contains(where: { $0.fate == .dropped }) {
            parts.append("a stub ending in a bar is a copy dropped because its recipient was down")
        }
        if !shading.isEmpty { parts.append("shaded stretches of a lane are that VM's faults") }
        return parts.isEmpty ? "" : "; " + parts.joined(separator: "; ")
    }
}
