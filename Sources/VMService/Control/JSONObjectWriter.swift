/// Builds a JSON object as text, keys in the order written. Small and allocation-light, for the
/// control plane's responses (the hot one, `/clock`, is answered thousands of times a second).
struct JSONObjectWriter {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var empty = true

    mutating func field(_ key: String, _ value: Int) {
        keyPrefix(key)
        EventLineEncoder.appendInt(value, to: &bytes)
    }

    mutating func field(_ key: String, _ value: Double) {
        keyPrefix(key)
        EventLineEncoder.appendValue(.double(value), to: &bytes)
    }

    mutating func field(_ key: String, _ value: String?) {
        keyPrefix(key)
        EventLineEncoder.appendValue(value.map(LogValue.string) ?? .null, to: &bytes)
    }

    mutating func field(_ key: String, _ value: Bool) {
        keyPrefix(key)
        EventLineEncoder.appendValue(.bool(value), to: &bytes)
    }

    mutating func field(_ key: String, _ value: LogValue) {
        keyPrefix(key)
        EventLineEncoder.appendValue(value, to: &bytes)
    }

    /// A value that is already JSON text (a nested object or array).
    mutating func field<Raw: Sequence<UInt8>>(_ key: String, raw: Raw) {
        keyPrefix(key)
        bytes.append(contentsOf: raw)
    }

    /// The finished object.
    consuming func finished() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func keyPrefix(_ key: String) {
        if !empty { bytes.append(UInt8(ascii: ",")) }
        empty = false
        bytes.append(UInt8(ascii: "\""))
        EventLineEncoder.appendEscaped(key, to: &bytes)
        bytes.append(contentsOf: "\":".utf8)
    }
}

extension Array where Element == [UInt8] {
    /// The elements (each JSON text) as a JSON array.
    func jsonArray() -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, element) in enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: element)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }
}
