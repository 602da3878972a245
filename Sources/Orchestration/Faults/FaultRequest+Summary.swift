import Foundation
import LamportCore

extension FaultRequest {
    /// The fault in a few words for progress lines: `loss 0.3 to [2]`, `partition from [2, 3]`,
    /// `delay 100 ms + exponential jitter 50 ms to all`, `clock_skew -2000 ms`, then `, 5 s` when it
    /// has a duration.
    var summary: String {
        let targets = peers.map { "\($0)" } ?? "all"
        var text: String
        switch kind {
        case .delay(let milliseconds, let jitter, let distribution):
            text = "delay \(milliseconds) ms"
            if distribution != .constant { text += " + \(distribution.rawValue) jitter \(jitter) ms" }
            text += " to \(targets)"
        case .loss(let probability): text = "loss \(probability) to \(targets)"
        case .duplicate(let probability): text = "duplicate \(probability) to \(targets)"
        case .partition: text = "partition from \(targets)"
        case .clockSkew(let milliseconds): text = "clock_skew \(milliseconds) ms"
        }
        if let durationMicroseconds { text += ", \(Self.seconds(durationMicroseconds)) s" }
        return text
    }

    /// Microseconds as seconds for people: `4`, `0.9`.
    static func seconds(_ microseconds: Int64) -> String {
        microseconds % 1_000_000 == 0
            ? String(microseconds / 1_000_000) : String(format: "%.1f", Double(microseconds) / 1e6)
    }
}
