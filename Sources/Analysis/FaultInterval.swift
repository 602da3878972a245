import EventLog

/// One fault of a run: which VM had it, what it did, and when it was active, from its `fault`
/// line to its `heal` line (or to the last line of the VM's run when there is none).
///
/// Times are the log's time stamps: a `clock_skew` fault shifts those of its VM while it is
/// active (its own `fault` line included), so its interval and everything its VM logged meanwhile
/// are shifted by the skew.
public struct FaultInterval: Sendable, Equatable {
    /// How the fault ended.
    public enum Ending: Sendable, Equatable {
        /// A `heal` line, with its `reason`: `removed`, `healed`, `expired` or `stopped`.
        case healed(reason: String)
        /// No `heal` line: the VM's run ended in a crash (a later run of it started); the interval
        /// ends at the crashed run's last line.
        case crashed
        /// No `heal` line: the VM's log ends (it was killed, or is still running); the interval
        /// ends at the log's last line.
        case logEnded
    }

    public var vm: Int
    /// The fault's `id` (per run of the VM).
    public var id: Int
    /// Kind, parameters and planned duration, as the `fault` line gives them.
    public var fields: LogFaultFields
    /// The recipients it acts on; nil: every peer.
    public var peers: [Int]?
    /// Microseconds since the epoch.
    public var start: Int64
    public var end: Int64
    public var ending: Ending

    public init(
        vm: Int, id: Int, fields: LogFaultFields, peers: [Int]?, start: Int64, end: Int64, ending: Ending
    ) {
        self.vm = vm
        self.id = id
        self.fields = fields
        self.peers = peers
        self.start = start
        self.end = end
        self.ending = ending
    }

    public var kind: String { fields.kind ?? "fault" }

    /// A short label for plots, e.g. "VM1 partition →2", "VM2 loss 50%", "VM3 delay 400±300 ms".
    public var label: String {
        var text = "VM\(vm) \(kind)"
        if let parameters = shortParameters { text += " " + parameters }
        if let peers, !peers.isEmpty { text += " →" + peers.map(String.init).joined(separator: ",") }
        return text
    }

    /// The parameters in a few characters ("50%", "400±300 ms", "100+exp 400 ms", "+1500 ms"), nil
    /// when none.
    var shortParameters: String? {
        if let probability = fields.probability { return Self.percent(probability) }
        guard let ms = fields.ms else { return nil }
        if kind == "clock_skew" { return (ms >= 0 ? "+" : "") + "\(ms) ms" }
        if let jitter = fields.jitterMs, jitter > 0 {
            // Exponential jitter only adds (its mean is jitter_ms); uniform spreads both ways.
            return fields.distribution == "exponential" ? "\(ms)+exp \(jitter) ms" : "\(ms)±\(jitter) ms"
        }
        return "\(ms) ms"
    }

    /// The parameters in words, for the report's table ("-" when the kind has none).
    public var parameters: String {
        var parts: [String] = []
        if let probability = fields.probability { parts.append("probability \(Self.percent(probability))") }
        if let ms = fields.ms {
            parts.append(kind == "clock_skew" ? "\(ms >= 0 ? "+" : "")\(ms) ms" : "\(ms) ms")
        }
        if let jitter = fields.jitterMs, jitter > 0 { parts.append("jitter \(jitter) ms") }
        if let distribution = fields.distribution, fields.jitterMs ?? 0 > 0 { parts.append(distribution) }
        if let duration = fields.durationS { parts.append("for \(Self.seconds(duration)) s") }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// How it ended, in words.
    public var endingText: String {
        switch ending {
        case .healed(let reason):
            switch reason {
            case "removed": "removed (DELETE /faults/\(id))"
            case "healed": "healed (DELETE /faults)"
            case "expired": "expired (its duration passed)"
            case "stopped": "the VM stopped"
            default: reason
            }
        case .crashed: "the VM crashed (no heal line)"
        case .logEnded: "not healed before the log ends"
        }
    }

    static func percent(_ probability: Double) -> String {
        let value = probability * 100
        return value == value.rounded() ? "\(Int(value))%" : "\((value * 10).rounded() / 10)%"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
