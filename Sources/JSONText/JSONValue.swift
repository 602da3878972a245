/// A JSON value as `JSONBodyParser` reads it (RFC 8259).
///
/// Numbers are IEEE 754 binary64, as RFC 8259 section 6 expects of interoperable JSON; object
/// members keep the order of the text, and their keys are unique (the parser refuses duplicates, or keeps the first with `.keepFirst`).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One `"key": value` pair of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONValue

        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The value of the member whose key has exactly these UTF-8 bytes (no Unicode
    /// normalisation), if this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value
    }

    /// What kind of value this is, for messages: "a string", "an array", ...
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
