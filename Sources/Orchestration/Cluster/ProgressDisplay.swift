import Analysis
import Foundation
import NIOConcurrencyHelpers
import SystemCalls

/// The live view of a running cluster: the phase with a bar, then a line per VM with its state,
/// clock and queue, read from each VM's `GET /status`.
///
/// On a terminal the lines redraw in place; otherwise (a pipe, CI) one compact line is printed
/// every 5 s.
final class ProgressDisplay: Sendable {
    private let print: @Sendable (String) -> Void
    private let interactive = FileDescriptor.standardOutput.isTerminal
    private let state = NIOLockedValueBox<(drawnLines: Int, lastPrinted: Double)>((0, -10))

    init(print: @escaping @Sendable (String) -> Void) {
        self.print = print
    }

    /// Shows `phase` at `elapsed` of `duration` seconds and the VMs' statuses; `notes` says why a
    /// VM does not answer (`killed by the plan`, `restarting`).
    func update(
        phase: String, elapsed: Double, duration: Double, vmIDs: [Int], statuses: [StatusReport?],
        notes: [Int: String] = [:]
    ) {
        let width = 30
        let done = duration > 0 ? min(width, Int(Double(width) * elapsed / duration)) : width
        let bar = String(repeating: "#", count: done) + String(repeating: ".", count: width - done)
        let header = "\(phase) [\(bar)] \(Self.seconds(elapsed))/\(Self.seconds(duration)) s"
        if vmIDs.count > LocalCluster.summaryThreshold {
            summarise(header: header, elapsed: elapsed, statuses: statuses, notes: notes)
            return
        }
        let lines = zip(vmIDs, statuses).map { id, status -> String in
            guard let status else { return "  vm\(id)  (\(notes[id] ?? "no answer"))" }
            return "  vm\(id)  \(status.state.padding(toLength: 8, withPad: " ", startingAt: 0))  clock \(status.clock)"
                + "  queue \(status.queueLength)  rate \(SummaryTable.rateText(status.measuredTickRate))/s"
        }
        if interactive {
            let drawn = state.withLockedValue { $0.drawnLines }
            let up = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            print(up + ([header] + lines).map { "\r\u{1B}[K" + $0 + "\n" }.joined())
            state.withLockedValue { $0.drawnLines = lines.count + 1 }
        } else if state.withLockedValue({ elapsed - $0.lastPrinted >= 5 || elapsed < $0.lastPrinted }) {
            state.withLockedValue { $0.lastPrinted = elapsed }
            let compact = zip(vmIDs, statuses).map { id, status in
                status.map { "vm\(id) clock \($0.clock) queue \($0.queueLength)" } ?? "vm\(id) \(notes[id] ?? "-")"
            }
            print(header + "  " + compact.joined(separator: " | ") + "\n")
        }
    }

    /// The view of a big cluster: the header and one line of totals, redrawn in place on a
    /// terminal, every 5 s otherwise.
    private func summarise(header: String, elapsed: Double, statuses: [StatusReport?], notes: [Int: String]) {
        let summary = "  " + Self.summary(statuses, notes: notes)
        if interactive {
            let drawn = state.withLockedValue { $0.drawnLines }
            let up = drawn > 0 ? "\u{1B}[\(drawn)A" : ""
            print(up + [header, summary].map { "\r\u{1B}[K" + $0 + "\n" }.joined())
            state.withLockedValue { $0.drawnLines = 2 }
        } else if state.withLockedValue({ elapsed - $0.lastPrinted >= 5 || elapsed < $0.lastPrinted }) {
            state.withLockedValue { $0.lastPrinted = elapsed }
            print(header + summary + "\n")
        }
    }

    /// One line for many VMs: how many are in each state, and the spread of clocks, queues and
    /// measured rates (least, median, most).
    static func summary(_ statuses: [StatusReport?], notes: [Int: String] = [:]) -> String {
        let answered = statuses.compactMap { $0 }
        var states: [String: Int] = [:]
        for status in answered { states[status.state, default: 0] += 1 }
        var parts = states.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        let silent = statuses.count - answered.count
        if silent > 0 { parts.append("\(silent) " + (notes.isEmpty ? "no answer" : "no answer or away")) }
        guard !answered.isEmpty else { return "\(statuses.count) VMs: " + parts.joined(separator: ", ") }
        func spread<T: Comparable>(_ values: [T], _ text: (T) -> String) -> String {
            let sorted = values.sorted()
            return "\(text(sorted[0]))/\(text(sorted[sorted.count / 2]))/\(text(sorted[sorted.count - 1]))"
        }
        return "\(statuses.count) VMs: " + parts.joined(separator: ", ")
            + "; clock \(spread(answered.map(\.clock), String.init))"
            + ", queue \(spread(answered.map(\.queueLength), String.init))"
            + ", rate \(spread(answered.map(\.measuredTickRate), SummaryTable.rateText))/s (least/median/most)"
    }

    /// Prints one line of news (a fault set, a VM killed) above the live view, which the next
    /// update draws again below it.
    func note(_ line: String) {
        if interactive {
            let drawn = state.withLockedValue { state in
                defer { state.drawnLines = 0 }
                return state.drawnLines
            }
            // Up over the view, clear from there to the end of the screen, then the line.
            print((drawn > 0 ? "\u{1B}[\(drawn)A\r\u{1B}[J" : "") + line + "\n")
        } else {
            print(line + "\n")
        }
    }

    /// Ends a phase: the next update draws below the current view.
    func finishPhase() {
        state.withLockedValue { $0 = (0, -10) }
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.0f", value.rounded(.down))
    }
}
