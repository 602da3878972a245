/// Writes JSON values as UTF-8 bytes straight into a buffer: the primitives under the event-log
/// encoder and the control plane's responses, both on hot paths, so nothing here allocates a
/// `String` per value.
public enum JSONBytes {
    /// Appends `number`; a non-finite double (not JSON) as `null`.
    public static func appendDouble(_ number: Double, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: (number.isFinite ? String(number) : "null").utf8)
    }

    /// Appends `text` as a quoted JSON string.
    public static func appendString(_ text: String, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "\""))
        appendEscaped(text, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    /// Appends `true` or `false`.
    public static func appendBool(_ flag: Bool, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: (flag ? "true" : "false").utf8)
    }

    /// Appends `[n1,n2,...]`.
    public static func appendInts(_ numbers: [Int], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "["))
        for (index, number) in numbers.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendInt(number, to: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
    }

    /// Appends the decimal digits of `number` without allocating.
    public static func appendInt(_ number: Int, to buffer: inout [UInt8]) {
        if number < 0 {
            buffer.append(UInt8(ascii: "-"))
            if number == .min {
                buffer.append(contentsOf: String(number).utf8.dropFirst())
                return
            }
        }
        var value = number.magnitude
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while value > 0 {
                raw[count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer.append(raw[index])
            }
        }
    }

    /// Appends `text` escaped for the inside of a JSON string (without the quotes).
    public static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): buffer.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): buffer.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): buffer.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): buffer.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.append(contentsOf: #"\u00"#.utf8)
                buffer.append(hex[Int(byte >> 4)])
                buffer.append(hex[Int(byte & 0xF)])
            default: buffer.append(byte)
            }
        }
    }
}
