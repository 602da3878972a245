/// Builds a JSON object as text, keys in the order written. Small and allocation-light, for the
/// control plane's responses (the hot one, `/clock`, is answered thousands of times a second).
public struct JSONObjectWriter {
    public init() {}

    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    /// An integer.
    public mutating func field(_ key: String, _ value: Int) {
        keyPrefix(key)
        JSONBytes.appendInt(value, to: &bytes)
    }

    /// A number; a non-finite one as `null`.
    public mutating func field(_ key: String, _ value: Double) {
        keyPrefix(key)
        JSONBytes.appendDouble(value, to: &bytes)
    }

    /// A string, or `null` when nil.
    public mutating func field(_ key: String, _ value: String?) {
        keyPrefix(key)
        if let value { JSONBytes.appendString(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// A number, or `null` when nil.
    public mutating func field(_ key: String, _ value: Double?) {
        keyPrefix(key)
        if let value { JSONBytes.appendDouble(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// `true` or `false`.
    public mutating func field(_ key: String, _ value: Bool) {
        keyPrefix(key)
        JSONBytes.appendBool(value, to: &bytes)
    }

    /// A value that is already JSON text (a nested object or array).
    public mutating func field<Raw: Sequence<UInt8>>(_ key: String, raw: Raw) {
        keyPrefix(key)
        bytes.append(contentsOf: raw)
    }

    /// The finished object.
    public consuming func finished() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func keyPrefix(_ key: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        JSONBytes.appendEscaped(key, to: &bytes)
        bytes.append(contentsOf: "\":".utf8)
    }
}

extension Array where Element == [UInt8] {
    /// The elements (each JSON text) as a JSON array.
    public func jsonArray() -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, element) in enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: element)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }
}
