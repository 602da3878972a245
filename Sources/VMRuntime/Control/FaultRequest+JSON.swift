import EventLog
import JSONText
import LamportCore

extension FaultRequest {
    /// The fields `POST /faults` takes.
    static let fieldNames = ["kind", "peers", "duration_s", "ms", "jitter_ms", "distribution", "probability"]

    /// Parses the body of `POST /faults`: a JSON object with `kind` (`delay`, `loss`, `duplicate`,
    /// `partition`, `clock_skew`), optional `peers` (an array of VM ids; default all peers; not for
    /// clock_skew), optional `duration_s` (seconds), and the kind's parameters: `ms` (an integer;
    /// delay, clock_skew), `jitter_ms` (an integer, default 0) and `distribution` (`constant`,
    /// `uniform`, `exponential`; default `constant` without jitter, `uniform` with it) for delay,
    /// `probability` (0 to 1) for loss and duplicate. A field another kind takes is refused, as is
    /// an unknown one. The error message starts with the field at fault.
    public static func parse(_ body: [UInt8]) throws(ConfigError) -> FaultRequest {
        let value: JSONValue
        do {
            value = try JSONBodyParser().parse(body)
        } catch {
            throw ConfigError(error.description)
        }
        guard case .object(let members) = value else {
            throw ConfigError(
                "the body must be a JSON object, e.g. {\"kind\": \"loss\", \"probability\": 0.5}; it is \(value.kindDescription)"
            )
        }
        for member in members where !fieldNames.contains(where: { $0.utf8.elementsEqual(member.key.utf8) }) {
            throw ConfigError(
                "unknown field '\(JSONParseError.shortened(member.key))'; fields: " + fieldNames.joined(separator: ", ")
            )
        }
        guard let kindValue = value["kind"] else {
            throw ConfigError("kind: required, one of delay, loss, duplicate, partition, clock_skew")
        }
        guard case .string(let kindName) = kindValue else {
            throw ConfigError("kind: expected a string, one of delay, loss, duplicate, partition, clock_skew")
        }
        let allowed: [String]
        let kind: FaultKind
        switch kindName {
        case "delay":
            allowed = ["ms", "jitter_ms", "distribution"]
            let milliseconds = try integer(value, "ms", required: true) ?? 0
            let jitter = try integer(value, "jitter_ms", required: false) ?? 0
            let distribution: DelayDistribution
            switch value["distribution"] {
            case nil: distribution = jitter == 0 ? .constant : .uniform
            case .string(let name)?:
                guard let named = DelayDistribution(rawValue: name) else { fallthrough }
                distribution = named
            default: throw ConfigError("distribution: expected constant, uniform or exponential")
            }
            kind = .delay(milliseconds: milliseconds, jitterMilliseconds: jitter, distribution: distribution)
        case "loss", "duplicate":
            allowed = ["probability"]
            guard case .number(let probability)? = value["probability"] else {
                throw ConfigError("probability: required, a number from 0 to 1")
            }
            kind = kindName == "loss" ? .loss(probability: probability) : .duplicate(probability: probability)
        case "partition":
            allowed = []
            kind = .partition
        case "clock_skew":
            allowed = ["ms"]
            kind = .clockSkew(milliseconds: try integer(value, "ms", required: true) ?? 0)
        default:
            throw ConfigError(
                "kind: '\(JSONParseError.shortened(kindName))' is not one of delay, loss, duplicate, partition, clock_skew"
            )
        }
        let common = ["kind", "peers", "duration_s"]
        if let stray = members.first(where: { member in !(common + allowed).contains(member.key) }) {
            throw ConfigError("\(stray.key): not a parameter of \(kindName)")
        }
        var peers: [Int]?
        if let peersValue = value["peers"] {
            guard case .array(let items) = peersValue else { throw ConfigError("peers: expected an array of VM ids") }
            peers = try items.map { item throws(ConfigError) in
                guard case .number(let number) = item, let id = Int(exactly: number) else {
                    throw ConfigError("peers: expected an array of VM ids (integers)")
                }
                return id
            }
        }
        var duration: Double?
        if let durationValue = value["duration_s"] {
            guard case .number(let seconds) = durationValue else {
                throw ConfigError("duration_s: expected a number of seconds")
            }
            duration = seconds
        }
        do {
            return try FaultRequest(kind: kind, peers: peers, durationSeconds: duration)
        } catch {
            throw ConfigError(error.description)
        }
    }

    /// The integer field `name`, nil when absent and not required.
    private static func integer(_ object: JSONValue, _ name: String, required: Bool) throws(ConfigError) -> Int? {
        guard let field = object[name] else {
            if required { throw ConfigError("\(name): required, an integer number of milliseconds") }
            return nil
        }
        guard case .number(let number) = field, let integer = Int(exactly: number) else {
            throw ConfigError("\(name): expected an integer number of milliseconds")
        }
        return integer
    }
}

extension Fault {
    /// The fault as `GET /faults` and `POST /faults` show it: `id`, `kind`, `peers` (every peer
    /// of `allPeers` when it names none; empty for clock_skew), its parameters, `started` and
    /// `ends` (RFC 3339 in UTC; `ends` null without a duration).
    func json(allPeers: [Int]) -> [UInt8] {
        var formatter = RFC3339Formatter()
        var writer = JSONObjectWriter()
        writer.field("id", id)
        writer.field("kind", kind.name)
        var peersText: [UInt8] = []
        if case .clockSkew = kind {
            JSONBytes.appendInts([], to: &peersText)
        } else {
            JSONBytes.appendInts(peers ?? allPeers, to: &peersText)
        }
        writer.field("peers", raw: peersText)
        for field in kind.parameterFields {
            var text: [UInt8] = []
            EventLineEncoder.appendValue(field.value, to: &text)
            writer.field(field.key, raw: text)
        }
        writer.field("started", formatter.string(WallTime(microseconds: started)))
        writer.field("ends", ends.map { formatter.string(WallTime(microseconds: $0)) })
        return writer.finished()
    }
}
