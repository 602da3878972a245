import LamportCore

/// Reads JSON tokens from the bytes of one line, for `LogLineParser`.
struct LogLineCursor {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    @inline(__always)
    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    @inline(__always)
    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    @inline(__always)
    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    func error(_ message: String) -> LogParseError {
        LogParseError(message: "\(message) at byte \(index + 1)")
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(LogParseError) {
        guard next() == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
    }

    /// The next key; nil for a key outside the format's list.
    mutating func readKey() throws(LogParseError) -> LogKey? {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { index += 1 }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated key") }
        let key = LogVocabularyBytes.key(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        index += 1
        return key
    }

    @inline(__always)
    mutating func readInt() throws(LogParseError) -> Int {
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var value = 0
        let start = index
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int(bytes[index] - 48))
            guard !overflow1 && !overflow2 else { throw error("integer too large") }
            value = sum
            index += 1
        }
        guard index > start else { throw error("expected an integer") }
        if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw error("expected an integer, found a fraction")
        }
        return negative ? -value : value
    }

    mutating func readNumber() throws(LogParseError) -> Double {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                index += 1
            default:
                guard index > start, let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                    throw error("expected a number")
                }
                return value
            }
        }
        guard index > start, let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            throw error("expected a number")
        }
        return value
    }

    /// A tick rate: a number, or the string "max" (returned as infinity).
    mutating func readRate() throws(LogParseError) -> Double {
        if peek() == UInt8(ascii: "\"") {
            let text = try readString()
            guard text == "max" else { throw error("expected a tick rate") }
            return .infinity
        }
        return try readNumber()
    }

    mutating func readBool() throws(LogParseError) -> Bool {
        if matchLiteral("true") { return true }
        if matchLiteral("false") { return false }
        throw error("expected true or false")
    }

    /// Reads a string value that names an event kind, without building a String (hot path);
    /// nil for any other text.
    mutating func readKind() throws(LogParseError) -> EventKind? {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { return nil }
            index += 1
        }
        guard index < bytes.count else { throw error("unterminated string") }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        index += 1
        return EventKind(bytes: text)
    }

    mutating func readString() throws(LogParseError) -> String {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while let byte = next() {
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = next() else { throw error("unterminated string") }
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw error("bad \\u escape") }
                    index += 4
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(escaped)
                }
            default: out.append(byte)
            }
        }
        throw error("unterminated string")
    }

    /// An integer time is not expected; `time` is an RFC 3339 UTC string with up to 9 fraction digits.
    mutating func readTime() throws(LogParseError) -> Int64 {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count && bytes[index] != UInt8(ascii: "\"") { index += 1 }
        guard index < bytes.count else { throw error("unterminated time") }
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        index += 1
        guard let micros = RFC3339Parser.microseconds(text) else { throw error("time is not RFC 3339 UTC") }
        return micros
    }

    mutating func readIntArray() throws(LogParseError) -> [Int] {
        try expect(UInt8(ascii: "["))
        var values: [Int] = []
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return values
        }
        while true {
            skipSpace()
            values.append(try readInt())
            skipSpace()
            let byte = next()
            if byte == UInt8(ascii: "]") { return values }
            guard byte == UInt8(ascii: ",") else { throw error("expected ',' or ']'") }
        }
    }

    /// Skips any JSON value (objects and arrays nested to any depth).
    mutating func skipValue() throws(LogParseError) {
        switch peek() {
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while let byte = peek() {
                if byte == UInt8(ascii: "\"") {
                    _ = try readString()
                    continue
                }
                index += 1
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return }
                }
            }
            throw error("unterminated value")
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"):
            guard matchLiteral("null") else { throw error("expected null") }
        default: _ = try readNumber()
        }
    }

    private mutating func matchLiteral(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count,
            UnsafeRawBufferPointer(start: literal.utf8Start, count: count).elementsEqual(bytes[index..<index + count])
        else { return false }
        index += count
        return true
    }
}
