import JSONText
import LamportCore

extension FaultRequest {
    /// The fields a fault takes, in the order `jsonText` writes them.
    public static let fieldNames = ["kind", "peers", "duration_s", "ms", "jitter_ms", "distribution", "probability"]

    /// Parses the body of `POST /faults` (strict RFC 8259 JSON, as `JSONBodyParser` reads it); see
    /// `parse(_:)` for a value already parsed.
    public static func parse(_ body: [UInt8]) throws(FaultBodyError) -> FaultRequest {
        let value: JSONValue
        do {
            value = try JSONBodyParser().parse(body)
        } catch {
            throw FaultBodyError(field: nil, error.description)
        }
        return try parse(value)
    }

    /// Reads a fault from a JSON object: `kind` (`delay`, `loss`, `duplicate`, `partition`,
    /// `clock_skew`), optional `peers` (an array of VM ids; default all peers; not for
    /// clock_skew), optional `duration_s` (seconds), and the kind's parameters: `ms` (an integer;
    /// delay, clock_skew), `jitter_ms` (an integer, default 0) and `distribution` (`constant`,
    /// `uniform`, `exponential`; default `constant` without jitter, `uniform` with it) for delay,
    /// `probability` (0 to 1) for loss and duplicate. A field another kind takes is refused, as is
    /// an unknown one; every value is checked against `FaultLimits`. The VM's control plane, the
    /// `--fault` options and experiment plans all read faults here, so they accept the same ones.
    public static func parse(_ value: JSONValue) throws(FaultBodyError) -> FaultRequest {
        guard case .object(let members) = value else {
            throw FaultBodyError(
                field: nil,
                "the fault must be a JSON object, e.g. {\"kind\": \"loss\", \"probability\": 0.5}; it is \(value.kindDescription)"
            )
        }
        for member in members where !fieldNames.contains(where: { $0.utf8.elementsEqual(member.key.utf8) }) {
            throw FaultBodyError(
                field: JSONParseError.shortened(member.key),
                "unknown field; fields: " + fieldNames.joined(separator: ", "))
        }
        let kindNames = "one of delay, loss, duplicate, partition, clock_skew"
        guard let kindValue = value["kind"] else { throw FaultBodyError(field: "kind", "required, \(kindNames)") }
        guard case .string(let kindName) = kindValue else {
            throw FaultBodyError(field: "kind", "expected a string, \(kindNames)")
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
            default: throw FaultBodyError(field: "distribution", "expected constant, uniform or exponential")
            }
            kind = .delay(milliseconds: milliseconds, jitterMilliseconds: jitter, distribution: distribution)
        case "loss", "duplicate":
            allowed = ["probability"]
            guard case .number(let probability)? = value["probability"] else {
                throw FaultBodyError(field: "probability", "required, a number from 0 to 1")
            }
            kind = kindName == "loss" ? .loss(probability: probability) : .duplicate(probability: probability)
        case "partition":
            allowed = []
            kind = .partition
        case "clock_skew":
            allowed = ["ms"]
            kind = .clockSkew(milliseconds: try integer(value, "ms", required: true) ?? 0)
        default:
            throw FaultBodyError(field: "kind", "'\(JSONParseError.shortened(kindName))' is not \(kindNames)")
        }
        let common = ["kind", "peers", "duration_s"]
        if let stray = members.first(where: { member in !(common + allowed).contains(member.key) }) {
            throw FaultBodyError(field: stray.key, "not a parameter of \(kindName)")
        }
        var peers: [Int]?
        if let peersValue = value["peers"] {
            guard case .array(let items) = peersValue else {
                throw FaultBodyError(field: "peers", "expected an array of VM ids")
            }
            peers = try items.map { item throws(FaultBodyError) in
                guard case .number(let number) = item, let id = Int(exactly: number) else {
                    throw FaultBodyError(field: "peers", "expected an array of VM ids (integers)")
                }
                return id
            }
        }
        var duration: Double?
        if let durationValue = value["duration_s"] {
            guard case .number(let seconds) = durationValue else {
                throw FaultBodyError(field: "duration_s", "expected a number of seconds")
            }
            duration = seconds
        }
        do {
            return try FaultRequest(kind: kind, peers: peers, durationSeconds: duration)
        } catch {
            throw FaultBodyError(field: error.field, error.problem)
        }
    }

    /// The integer field `name`, nil when absent and not required.
    private static func integer(_ object: JSONValue, _ name: String, required: Bool) throws(FaultBodyError) -> Int? {
        guard let field = object[name] else {
            if required { throw FaultBodyError(field: name, "required, an integer number of milliseconds") }
            return nil
        }
        guard case .number(let number) = field, let integer = Int(exactly: number) else {
            throw FaultBodyError(field: name, "expected an integer number of milliseconds")
        }
        return integer
    }

    /// The fault as the body of `POST /faults`, which `parse` reads back to this request: `kind`,
    /// `peers` (when it names some), `duration_s` (when it has one), then the kind's parameters.
    public var jsonText: String {
        var writer = JSONObjectWriter()
        writer.field("kind", kind.name)
        if let peers {
            var list: [UInt8] = []
            JSONBytes.appendInts(peers, to: &list)
            writer.field("peers", raw: list)
        }
        if let durationMicroseconds { writer.field("duration_s", Double(durationMicroseconds) / 1_000_000) }
        switch kind {
        case .delay(let milliseconds, let jitter, let distribution):
            writer.field("ms", milliseconds)
            writer.field("jitter_ms", jitter)
            writer.field("distribution", distribution.rawValue)
        case .loss(let probability), .duplicate(let probability):
            writer.field("probability", probability)
        case .partition:
            break
        case .clockSkew(let milliseconds):
            writer.field("ms", milliseconds)
        }
        return String(decoding: writer.finished(), as: UTF8.self)
    }
}
