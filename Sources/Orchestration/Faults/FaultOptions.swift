import LamportCore
import Settings

/// The command-line forms of faults, shared by `vmserver cluster` and `vmserver simulate`:
/// `--fault VM@AT_S:JSON`, `--nemesis KIND,every=S,for=D` and `--kill VM@AT_S[+RESTART_S]`.
/// Each reads one option's value; an error names the flag and the field.
public enum FaultOptions {
    /// `VM@AT_S:JSON`: at `AT_S` seconds, VM `VM` gets the fault the JSON body of `POST /faults`
    /// describes (read by `FaultRequest.parse`, as the VM reads it).
    public static func fault(_ text: String) throws(SettingsError) -> PlannedFault {
        let source = FaultSource.option("--fault", text)
        let expected = "expected VM@AT_S:JSON, e.g. 2@10:{\"kind\":\"partition\",\"duration_s\":5}"
        guard let colon = text.firstIndex(of: ":"), let at = text[..<colon].firstIndex(of: "@") else {
            throw SettingsError("--fault", "\(expected); got \(quoted(text))")
        }
        let vm = try vmID(text[..<at], flag: "--fault", whole: text)
        let seconds = try atSeconds(text[text.index(after: at)..<colon], flag: "--fault", whole: text)
        do {
            let request = try FaultRequest.parse(Array(text[text.index(after: colon)...].utf8))
            return PlannedFault(vms: [vm], atSeconds: seconds, request: request, source: source)
        } catch {
            throw source.error(error.field, error.problem)
        }
    }

    /// `KIND,every=S,for=D`: a nemesis of that kind, every `S` seconds for `D` seconds.
    public static func nemesis(_ text: String) throws(SettingsError) -> PlannedNemesis {
        let source = FaultSource.option("--nemesis", text, spelled: ["every_s": "every", "for_s": "for"])
        let expected =
            "expected KIND,every=S,for=D with KIND \(NemesisKind.names), e.g. partition_halves,every=10,for=4"
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        guard let kind = NemesisKind(rawValue: parts[0]) else {
            throw SettingsError("--nemesis", "\(expected); got \(quoted(text))")
        }
        var values: [String: Double] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, ["every", "for"].contains(pair[0]), values[pair[0]] == nil else {
                throw SettingsError("--nemesis", "\(expected); got \(quoted(text))")
            }
            guard let number = Double(pair[1]), number.isFinite else {
                throw SettingsError("--nemesis", "\(pair[0]): expected a number of seconds; got \(quoted(pair[1]))")
            }
            values[pair[0]] = number
        }
        guard let every = values["every"], let length = values["for"] else {
            throw SettingsError("--nemesis", "\(expected); got \(quoted(text))")
        }
        do {
            return PlannedNemesis(try Nemesis(kind: kind, everySeconds: every, forSeconds: length), source: source)
        } catch {
            throw source.error(error.field, error.problem)
        }
    }

    /// `VM@AT_S` or `VM@AT_S+RESTART_S`: SIGKILL to VM `VM` at `AT_S` seconds, restarted
    /// `RESTART_S` seconds later (without it, it stays down).
    public static func kill(_ text: String) throws(SettingsError) -> PlannedKill {
        guard let at = text.firstIndex(of: "@") else {
            throw SettingsError("--kill", "expected VM@AT_S or VM@AT_S+RESTART_S, e.g. 2@5+3; got \(quoted(text))")
        }
        let vm = try vmID(text[..<at], flag: "--kill", whole: text)
        let times = text[text.index(after: at)...].split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        let seconds = try atSeconds(times[0], flag: "--kill", whole: text)
        var restart: Double?
        if times.count == 2 {
            guard let value = Double(times[1]), value.isFinite else {
                throw SettingsError(
                    "--kill", "restart_after_s: expected seconds after '+'; got \(quoted(String(times[1])))")
            }
            restart = value
        }
        return PlannedKill(
            vm: vm, atSeconds: seconds, restartAfterSeconds: restart, source: .option("--kill", text))
    }

    private static func vmID(_ text: Substring, flag: String, whole: String) throws(SettingsError) -> Int {
        guard let vm = Int(text), vm >= 1 else {
            throw SettingsError(flag, "vm: expected a VM id (1 or more) before '@'; got \(quoted(whole))")
        }
        return vm
    }

    private static func atSeconds(_ text: Substring, flag: String, whole: String) throws(SettingsError) -> Double {
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= RunLimits.maximumSeconds else {
            throw SettingsError(
                flag,
                "at_s: expected seconds from 0 to \(Int(RunLimits.maximumSeconds)) after '@'; got \(quoted(whole))")
        }
        return seconds
    }
}
