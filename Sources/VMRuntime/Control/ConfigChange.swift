import JSONText
import LamportCore
import Settings

/// Settings changed through `PUT`/`PATCH /config`. Absent fields stay as they are.
public struct ConfigChange: Sendable, Equatable {
    public var tickRate: TickRate?
    public var maxAction: Int?
    public var paused: Bool?

    public init(tickRate: TickRate? = nil, maxAction: Int? = nil, paused: Bool? = nil) {
        self.tickRate = tickRate
        self.maxAction = maxAction
        self.paused = paused
    }

    /// The fields a request may set.
    public static let fieldNames = ["tick_rate", "max_action", "paused"]

    /// Parses a request body: a JSON object with any of `tick_rate` (a number from 0.001 to 1000000,
    /// or "max" in any case), `max_action` (an integer >= `minimumMaxAction`, the VM's neighbour count + 1, at most 1000000),
    /// `paused` (true or false). The body is read by `JSONBodyParser` (strict RFC 8259, nesting at
    /// most 16 deep, no duplicate keys), in time linear in its size. The error message names the
    /// field at fault, or the problem in the JSON and where it is.
    public static func parse(_ body: [UInt8], minimumMaxAction: Int) throws(ConfigError) -> ConfigChange {
        let value: JSONValue
        do {
            value = try JSONBodyParser().parse(body)
        } catch {
            throw ConfigError(error.description)
        }
        guard case .object(let members) = value else {
            throw ConfigError("the body must be a JSON object, e.g. {\"tick_rate\": 2}; it is \(value.kindDescription)")
        }
        var change = ConfigChange()
        for member in members {
            // Keys are matched byte for byte: no Unicode equivalence.
            switch fieldNames.first(where: { $0.utf8.elementsEqual(member.key.utf8) }) {
            case "tick_rate":
                switch member.value {
                case .number(let rate)
                where rate >= VMSettings.minimumTickRate && rate <= VMSettings.maximumTickRate:
                    change.tickRate = .perSecond(rate)
                case .string(let text) where isMax(text):
                    change.tickRate = .unthrottled
                default:
                    throw ConfigError(
                        "tick_rate: expected ticks per second, a number from 0.001 to 1000000, or \"max\"")
                }
            case "max_action":
                guard case .number(let number) = member.value, let integer = Int(exactly: number),
                    integer >= minimumMaxAction, integer <= 1_000_000
                else {
                    throw ConfigError(
                        "max_action: expected an integer >= \(minimumMaxAction) (this VM's neighbours + 1), at most 1000000"
                    )
                }
                change.maxAction = integer
            case "paused":
                guard case .bool(let flag) = member.value else { throw ConfigError("paused: expected true or false") }
                change.paused = flag
            default:
                throw ConfigError(
                    "unknown setting '\(JSONParseError.shortened(member.key))'; settable: "
                        + fieldNames.joined(separator: ", "))
            }
        }
        return change
    }

    /// Whether `text` is "max" in any ASCII case.
    private static func isMax(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 3 && bytes[0] | 0x20 == UInt8(ascii: "m") && bytes[1] | 0x20 == UInt8(ascii: "a")
            && bytes[2] | 0x20 == UInt8(ascii: "x")
    }
}

/// A `/config` request that cannot be applied; `message` names the field.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
