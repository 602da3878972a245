import JSONText
import LamportCore
import Settings

/// Reads a plan phase's `faults`, `nemesis` and `kill` entries into `PhaseFaults`, naming the key
/// at fault (`phases[1].faults[0].probability`). Each fault is read by `FaultRequest.parse`, the
/// VM's own parser, after its `vm` and `at_s` are taken out.
enum PhaseFaultsReader {
    static func read(
        faults: [PlanValue]?, nemesis: PlanValue?, kills: [PlanValue]?, phase: Int, vmCount: Int
    ) throws(SettingsError) -> PhaseFaults {
        var result = PhaseFaults()
        for (index, entry) in (faults ?? []).enumerated() {
            result.faults.append(
                try fault(entry.value, source: .plan(phase: phase, key: "faults[\(index)]"), vmCount: vmCount))
        }
        if let nemesis {
            result.nemesis = try Self.nemesis(nemesis.value, source: .plan(phase: phase, key: "nemesis"))
        }
        for (index, entry) in (kills ?? []).enumerated() {
            result.kills.append(try kill(entry.value, source: .plan(phase: phase, key: "kill[\(index)]")))
        }
        return result
    }

    /// `{vm: 1 | [1, 2] | all, at_s: S, ...the body of POST /faults}`.
    static func fault(_ value: JSONValue, source: FaultSource, vmCount: Int) throws(SettingsError) -> PlannedFault {
        guard case .object(let members) = value else {
            throw source.error(
                nil, "expected a fault: {vm: 1, kind: loss, probability: 0.5, ...}; got \(value.kindDescription)")
        }
        let keys = ["vm", "at_s"] + FaultRequest.fieldNames
        if let stray = members.first(where: { !keys.contains($0.key) }) {
            throw source.error(stray.key, "unknown key; expected \(keys.joined(separator: ", "))")
        }
        var vms = Array(1...vmCount)
        if let vmValue = value["vm"] {
            switch vmValue {
            case .string("all"): break
            case .array(let items) where !items.isEmpty:
                vms = try items.map { item throws(SettingsError) in try vmID(item, source: source, several: true) }
            default: vms = [try vmID(vmValue, source: source, several: true)]
            }
        }
        let atSeconds = try seconds(value["at_s"], source: source, field: "at_s") ?? 0
        let body = JSONValue.object(members.filter { $0.key != "vm" && $0.key != "at_s" })
        do {
            return PlannedFault(vms: vms, atSeconds: atSeconds, request: try FaultRequest.parse(body), source: source)
        } catch {
            throw source.error(error.field, error.problem)
        }
    }

    /// `{kind: partition_halves, every_s: S, for_s: D}`.
    static func nemesis(_ value: JSONValue, source: FaultSource) throws(SettingsError) -> PlannedNemesis {
        try onlyKeys(
            ["kind", "every_s", "for_s"], in: value, source: source, example: "{kind: isolate, every_s: 10, for_s: 4}")
        guard case .string(let name)? = value["kind"], let kind = NemesisKind(rawValue: name) else {
            throw source.error("kind", "expected \(NemesisKind.names)")
        }
        guard let every = try seconds(value["every_s"], source: source, field: "every_s") else {
            throw source.error("every_s", "required: seconds from one cycle's start to the next")
        }
        guard let length = try seconds(value["for_s"], source: source, field: "for_s") else {
            throw source.error("for_s", "required: seconds each cycle lasts, less than every_s")
        }
        do {
            return PlannedNemesis(try Nemesis(kind: kind, everySeconds: every, forSeconds: length), source: source)
        } catch {
            throw source.error(error.field, error.problem)
        }
    }

    /// `{vm: N, at_s: T, restart_after_s: D}`.
    static func kill(_ value: JSONValue, source: FaultSource) throws(SettingsError) -> PlannedKill {
        try onlyKeys(
            ["vm", "at_s", "restart_after_s"], in: value, source: source,
            example: "{vm: 2, at_s: 5, restart_after_s: 5}")
        guard let vmValue = value["vm"] else { throw source.error("vm", "required: the id of the VM to kill") }
        return PlannedKill(
            vm: try vmID(vmValue, source: source, several: false),
            atSeconds: try seconds(value["at_s"], source: source, field: "at_s") ?? 0,
            restartAfterSeconds: try seconds(value["restart_after_s"], source: source, field: "restart_after_s"),
            source: source)
    }

    private static func onlyKeys(
        _ keys: [String], in value: JSONValue, source: FaultSource, example: String
    ) throws(SettingsError) {
        guard case .object(let members) = value else {
            throw source.error(nil, "expected \(example); got \(value.kindDescription)")
        }
        if let stray = members.first(where: { !keys.contains($0.key) }) {
            throw source.error(stray.key, "unknown key; expected \(keys.joined(separator: ", "))")
        }
    }

    /// A VM id; `several` says the key also takes a list of ids or `all`.
    private static func vmID(_ value: JSONValue, source: FaultSource, several: Bool) throws(SettingsError) -> Int {
        guard case .number(let number) = value, let id = Int(exactly: number), id >= 1 else {
            let expected = several ? "a VM id (1 or more), a list of them, or all" : "a VM id (1 or more)"
            throw source.error("vm", "expected \(expected); got \(describe(value))")
        }
        return id
    }

    private static func seconds(
        _ value: JSONValue?, source: FaultSource, field: String
    ) throws(SettingsError) -> Double? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            throw source.error(field, "expected a number of seconds; got \(describe(value))")
        }
        return number
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let number): PlannedFault.seconds(number)
        case .string(let text): "'\(JSONParseError.shortened(text))'"
        default: value.kindDescription
        }
    }
}
