import Foundation
import SVGCharts

/// The report's explorable space-time diagram: an HTML section holding the run's events in
/// compact form (base64 of little-endian arrays, see `ExplorerEvents`), a canvas, its controls and
/// `ExplorerScript`. Without JavaScript the section stays hidden and the report's static
/// space-time figure is what a reader sees.
public struct ExplorerSection: Sendable {
    /// The most tick events the explorer embeds (about 25 bytes each in the page, a little more
    /// in the browser); a larger run's report says so instead.
    public static let maximumEvents = 2_000_000

    public var events: ExplorerEvents
    /// One label per lane, e.g. "VM 2 · 4/s".
    public var labels: [String]
    public var phases: [PhaseWindow]
    public var faults: [FaultInterval]

    public init(events: ExplorerEvents, labels: [String], phases: [PhaseWindow], faults: [FaultInterval]) {
        self.events = events
        self.labels = labels
        self.phases = phases
        self.faults = faults
    }

    /// The section's HTML, to be placed in the report's body.
    public var html: String {
        let origin = events.origin
        let meta: [String: Any] = [
            "vms": events.vms, "labels": labels, "laneStart": events.laneStart.map(Int.init),
            "phases": phases.map {
                ["name": $0.name, "start": Double($0.start - origin), "end": Double($0.end - origin)]
            },
            "faults": faults.map {
                [
                    "vm": $0.vm, "kind": $0.fields.kind ?? "fault", "start": Double($0.start - origin),
                    "end": Double($0.end - origin),
                ]
            },
        ]
        let metaText =
            (try? JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return """
            <section id="explorer" hidden aria-label="Space-time explorer">
            <h2>Explore the whole run</h2>
            <p>Every tick event of the run, one lane per VM (time runs to the right; lines join a send to its receive). \
            Zoom with the mouse wheel, the buttons or + and -, pan by dragging or with the arrow keys, Home shows it all. \
            With many VMs, "Show VMs" keeps the lanes you name (e.g. 1-8, 12). \
            Hover over an event for its line, Lamport clock and vector clock; click it (or name it below) to mark its \
            causal past (blue), its causal future (orange) and the events concurrent with it: those the Lamport order \
            puts before it (red ring) or after it (purple ring), an order causality does not give, and those with the \
            same clock (green ring). Shaded bands are phases; shaded lanes are faults.</p>
            <div class="explorer-controls">
            <button type="button" data-action="in">Zoom in</button> <button type="button" data-action="out">Zoom out</button> \
            <button type="button" data-action="reset">Whole run</button>
            <form><label>VM <input name="vm" type="number" min="1" size="5" required></label> \
            <label>seq <input name="seq" type="number" min="1" size="8" required></label> <button type="submit">Select</button></form>
            <label>Show VMs <input name="lanes" type="text" size="12" placeholder="all, or 1-8, 12"></label>
            <span class="explorer-load"></span>
            </div>
            <div class="explorer-canvas"><canvas tabindex="0" aria-label="Space-time diagram of the whole run; + and - zoom, arrows pan"></canvas><div class="explorer-tip" hidden></div></div>
            <p class="explorer-status" aria-live="polite"></p>
            <dl class="explorer-info"></dl>
            </section>
            <style>
            #explorer .explorer-controls { display: flex; flex-wrap: wrap; gap: 0.6em; align-items: center; margin: 0.5em 0; }
            #explorer form { display: inline-flex; gap: 0.4em; align-items: center; }
            #explorer button { padding: 0.2em 0.7em; }
            #explorer button:focus, #explorer input:focus, #explorer canvas:focus { outline: 3px solid #0072B2; outline-offset: 2px; }
            #explorer .explorer-canvas { position: relative; width: 100%; }
            #explorer canvas { display: block; border: 1px solid #ccc; cursor: crosshair; }
            #explorer .explorer-tip { position: absolute; max-width: 320px; background: #fffbe6; border: 1px solid #d9c77a; \
            padding: 0.3em 0.5em; font-size: 0.8em; pointer-events: none; }
            #explorer .explorer-status, #explorer .explorer-load { color: #555; font-size: 0.85em; }
            #explorer dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; font-size: 0.9em; }
            #explorer dt { font-weight: bold; }
            </style>
            <script type="application/json" id="explorer-meta">\(metaText.replacingOccurrences(of: "</", with: "<\\/"))</script>
            \(dataScript("explorer-time", events.time))
            \(dataScript("explorer-clock", events.clock))
            \(dataScript("explorer-kind", events.kind))
            \(dataScript("explorer-seq", events.seq))
            \(dataScript("explorer-link", events.link))
            <script>\(ExplorerScript.source)</script>

            """
    }

    /// What the report says instead when the run is too big to embed.
    public static func tooManyNote(events: Int, limit: Int) -> String {
        "The explorable diagram is left out: the run has \(events) tick events, above the \(limit) the report "
            + "embeds. The static space-time figure shows a window of it; a shorter run or fewer VMs can be explored."
    }

    private func dataScript<Element>(_ id: String, _ values: [Element]) -> String {
        let data = values.withUnsafeBytes { Data($0) }
        return "<script type=\"application/octet-stream\" id=\"\(id)\">\(data.base64EncodedString())</script>"
    }
}
