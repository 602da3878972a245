import Foundation

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
    /// or "max"), `max_action` (an integer >= the number of VMs), `paused` (true or false).
    /// The error message names the field at fault.
    public static func parse(_ body: [UInt8], clusterSize: Int) throws(ConfigError) -> ConfigChange {
        guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(body)) else {
            throw ConfigError("the body must be a JSON object, e.g. {\"tick_rate\": 2}")
        }
        var change = ConfigChange()
        for (key, value) in object {
            switch key {
            case "tick_rate":
                switch value {
                case .number(let rate)
                where rate >= VMSettings.minimumTickRate && rate <= VMSettings.maximumTickRate:
                    change.tickRate = .perSecond(rate)
                case .string(let text) where text.lowercased() == "max":
                    change.tickRate = .unthrottled
                default:
                    throw ConfigError(
                        "tick_rate: expected ticks per second, a number from 0.001 to 1000000, or \"max\"")
                }
            case "max_action":
                guard case .number(let number) = value, let integer = Int(exactly: number), integer >= clusterSize,
                    integer <= 1_000_000
                else {
                    throw ConfigError("max_action: expected an integer >= \(clusterSize) (the number of VMs)")
                }
                change.maxAction = integer
            case "paused":
                guard case .bool(let flag) = value else { throw ConfigError("paused: expected true or false") }
                change.paused = flag
            default:
                throw ConfigError(
                    "unknown setting '\(key)'; settable: \(fieldNames.joined(separator: ", "))")
            }
        }
        return change
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

/// Any JSON value, for checking request bodies field by field.
enum JSONValue: Decodable, Equatable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array
    case object

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if (try? container.decode([JSONValue].self)) != nil {
            self = .array
        } else {
            _ = try container.decode([String: JSONValue].self)
            self = .object
        }
    }
}
