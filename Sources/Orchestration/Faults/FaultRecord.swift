import EventLog
import Foundation
import LamportCore
import Settings

/// One thing the runner did to a VM during a trial (a fault set or removed, a kill, a restart,
/// a restarted VM running again, a step skipped or failed), as `faults.json` lists it. The VMs'
/// own `fault` and `heal` lines remain the record the analysis trusts; this one says what the
/// runner meant and when it acted.
struct FaultRecord: Sendable {
    /// `fault`, `heal`, `kill`, `restart`, `running`, `skipped` or `failed`.
    var action: String
    /// The phase, from 1.
    var phase: Int
    var phaseName: String
    /// Seconds into the phase when it was done (measured), and when the plan had it (nil for
    /// what the plan does not time, such as a heal at the phase's end).
    var atSeconds: Double
    var plannedAtSeconds: Double?
    var time: WallTime
    var vm: Int?
    /// The plan entry or option: `faults[0]`, `nemesis partition_halves #2`, `--kill 2@5+3`.
    var source: String
    var fault: FaultRequest?
    var faultID: Int?
    var detail: String?

    /// The record as a JSON object; `fault` is the body that was posted.
    var jsonObject: [String: Any] {
        var formatter = RFC3339Formatter()
        var object: [String: Any] = [
            "action": action, "phase": phase, "phase_name": phaseName, "at_s": Self.milliseconds(atSeconds),
            "time": formatter.string(time), "source": source,
        ]
        object["planned_at_s"] = plannedAtSeconds.map(Self.milliseconds)
        object["vm"] = vm
        object["fault_id"] = faultID
        object["detail"] = detail
        if let fault { object["fault"] = try? JSONSerialization.jsonObject(with: Data(fault.jsonText.utf8)) }
        return object
    }

    private static func milliseconds(_ seconds: Double) -> Double {
        (seconds * 1000).rounded() / 1000
    }

    /// Writes `records` as `faults.json` into `directory`: `{"events": [...]}` in the order done.
    static func write(_ records: [FaultRecord], to directory: String) throws {
        let document: [String: Any] = ["events": records.map(\.jsonObject)]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(directory)/faults.json"))
    }
}
