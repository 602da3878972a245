/// A strict JSON parser (RFC 8259) for request bodies: pure, no IO, one pass over the bytes.
///
/// It runs in time linear in the input and never recurses deeper than `maximumDepth`, so a hostile
/// body (say 64 KiB of nested brackets) is refused at once instead of stalling the control plane's
/// thread. It accepts exactly RFC 8259's grammar, and refuses with a `JSONParseError` (naming the
/// problem, its byte offset and the path to it):
///
/// - arrays and objects nested deeper than `maximumDepth` (16 by default);
/// - a key that appears twice in one object (compared byte for byte after unescaping, RFC 8259
///   section 8.3), and trailing commas;
/// - bytes that are not UTF-8, control characters in strings, unknown escapes, `\u` escapes of
///   half a surrogate pair;
/// - numbers outside the grammar (leading zeros, `+1`, `.5`, `1.`, `NaN`), longer than
///   `maximumNumberLength` characters, or beyond binary64's range (`1e400`);
/// - anything after the value but white space.
///
/// Numbers become `Double` (RFC 8259 section 6's interoperable precision).
public struct JSONBodyParser: Sendable {
    public static let defaultMaximumDepth = 16
    /// The longest number literal accepted. A binary64 needs 17 significant digits; the limit
    /// leaves room for zeros and an exponent while keeping the conversion's cost bounded.
    public static let maximumNumberLength = 100

    /// What an object whose key appears twice means.
    public enum DuplicateKeys: Sendable {
        /// The text is refused (`duplicateKey`): request bodies, where a repeated key is a mistake.
        case refuse
        /// The first value stands and later ones are parsed and ignored, as Foundation's
        /// `JSONDecoder` reads them (the PEERS setting has always been read that way).
        case keepFirst
    }

    /// How deeply arrays and objects may nest: a top-level array is depth 1.
    public var maximumDepth: Int
    public var duplicateKeys: DuplicateKeys

    public init(maximumDepth: Int = JSONBodyParser.defaultMaximumDepth, duplicateKeys: DuplicateKeys = .refuse) {
        self.maximumDepth = max(0, maximumDepth)
        self.duplicateKeys = duplicateKeys
    }

    /// Parses `bytes` as one JSON text.
    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw) } }
        return try result.get()
    }

    /// Parses the bytes of `buffer` as one JSON text (the entry point for fuzzing).
    public func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var reader = JSONByteReader(bytes: buffer, maximumDepth: maximumDepth, duplicateKeys: duplicateKeys)
        return try reader.document()
    }
}

/// The parser's cursor over the bytes.
private struct JSONByteReader {
    let bytes: UnsafeRawBufferPointer
    let maximumDepth: Int
    let duplicateKeys: JSONBodyParser.DuplicateKeys
    var position = 0

    init(bytes: UnsafeRawBufferPointer, maximumDepth: Int, duplicateKeys: JSONBodyParser.DuplicateKeys) {
        self.duplicateKeys = duplicateKeys
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private static let valueExpected = "a value (object, array, string, number, true, false or null)"

    mutating func document() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw JSONParseError(.empty, offset: position) }
        let value = try value(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw JSONParseError(.trailingData, offset: position) }
        return value
    }

    /// A value starting at `position`, inside `depth` levels of arrays and objects.
    private mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else {
            throw JSONParseError(.unexpectedEnd(expected: Self.valueExpected), offset: position)
        }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(String(decoding: try string(), as: UTF8.self))
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case let byte: throw JSONParseError(.unexpectedByte(byte, expected: Self.valueExpected), offset: position)
        }
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw JSONParseError(.tooDeep(limit: maximumDepth), offset: position) }
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object([])
        }
        var members: [JSONValue.Member] = []
        var keys: Set<[UInt8]> = []
        while true {
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd(expected: "a key in double quotes"), offset: position)
            }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw JSONParseError(
                    .unexpectedByte(bytes[position], expected: "a key in double quotes"), offset: position)
            }
            let keyOffset = position
            let keyBytes = try string()
            let key = String(decoding: keyBytes, as: UTF8.self)
            let isFirst = keys.insert(keyBytes).inserted
            if !isFirst && duplicateKeys == .refuse {
                throw JSONParseError(.duplicateKey(key), offset: keyOffset)
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after the key")
            skipWhitespace()
            do throws(JSONParseError) {
                let parsed = try value(depth: depth)
                if isFirst { members.append(JSONValue.Member(key, parsed)) }
            } catch {
                throw error.inside(.key(key))
            }
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd(expected: "',' or '}'"), offset: position)
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                let comma = position
                position += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "}") { throw JSONParseError(.trailingComma, offset: comma) }
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            case let byte:
                throw JSONParseError(.unexpectedByte(byte, expected: "',' or '}'"), offset: position)
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else { throw JSONParseError(.tooDeep(limit: maximumDepth), offset: position) }
        position += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        while true {
            do throws(JSONParseError) {
                elements.append(try value(depth: depth))
            } catch {
                throw error.inside(.index(elements.count))
            }
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd(expected: "',' or ']'"), offset: position)
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                let comma = position
                position += 1
                skipWhitespace()
                if peek() == UInt8(ascii: "]") { throw JSONParseError(.trailingComma, offset: comma) }
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            case let byte:
                throw JSONParseError(.unexpectedByte(byte, expected: "',' or ']'"), offset: position)
            }
        }
    }

    /// A string starting at its opening quote; returns its UTF-8 bytes, escapes resolved.
    private mutating func string() throws(JSONParseError) -> [UInt8] {
        position += 1
        var text: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd(expected: "the closing '\"' of a string"), offset: position)
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &text)
            case 0..<0x20:
                throw JSONParseError(.controlCharacterInString, offset: position)
            case 0x20..<0x80:
                text.append(byte)
                position += 1
            default:
                try utf8Sequence(into: &text)
            }
        }
    }

    /// One escape (`position` at the backslash).
    private mutating func escape(into text: inout [UInt8]) throws(JSONParseError) {
        let start = position
        position += 1
        guard position < bytes.count else {
            throw JSONParseError(.unexpectedEnd(expected: "an escape after '\\'"), offset: position)
        }
        let simple: UInt8
        switch bytes[position] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            position += 1
            var scalar = try hexQuad(escapeAt: start)
            if (0xDC00...0xDFFF).contains(scalar) { throw JSONParseError(.loneSurrogate, offset: start) }
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                    throw JSONParseError(.loneSurrogate, offset: start)
                }
                let lowStart = position
                position += 2
                let low = try hexQuad(escapeAt: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(.loneSurrogate, offset: start) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            // Every value left is a Unicode scalar (surrogates were handled above).
            text.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            return
        default:
            throw JSONParseError(.invalidEscape, offset: start)
        }
        text.append(simple)
        position += 1
    }

    /// Four hex digits at `position`, as a number.
    private mutating func hexQuad(escapeAt start: Int) throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw JSONParseError(.invalidUnicodeEscape, offset: start) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidUnicodeEscape, offset: start)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// One multi-byte UTF-8 sequence (`position` at its lead byte), checked as in Unicode's
    /// table 3-7 of well-formed sequences: no overlong forms, no surrogates, nothing past U+10FFFF.
    private mutating func utf8Sequence(into text: inout [UInt8]) throws(JSONParseError) {
        let start = position
        let lead = bytes[position]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            second = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            second = 0x80...0x9F
        case 0xF0:
            length = 4
            second = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            second = 0x80...0x8F
        default: throw JSONParseError(.invalidUTF8, offset: start)
        }
        guard start + length <= bytes.count, second.contains(bytes[start + 1]) else {
            throw JSONParseError(.invalidUTF8, offset: start)
        }
        for index in (start + 2)..<(start + length) where !(0x80...0xBF).contains(bytes[index]) {
            throw JSONParseError(.invalidUTF8, offset: start)
        }
        text.append(contentsOf: bytes[start..<(start + length)])
        position += length
    }

    /// A number, checked against RFC 8259's grammar before it is converted.
    private mutating func number() throws(JSONParseError) -> Double {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        switch peek() {
        case UInt8(ascii: "0"):
            position += 1
            if let next = peek(), isDigit(next) {
                throw JSONParseError(.invalidNumber("a leading zero"), offset: start)
            }
        case .some(let byte) where isDigit(byte):
            skipDigits()
        default:
            throw JSONParseError(.invalidNumber("'-' without a digit after it"), offset: start)
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard let next = peek(), isDigit(next) else {
                throw JSONParseError(.invalidNumber("no digit after the decimal point"), offset: start)
            }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let next = peek(), isDigit(next) else {
                throw JSONParseError(.invalidNumber("no digit in the exponent"), offset: start)
            }
            skipDigits()
        }
        guard position - start <= JSONBodyParser.maximumNumberLength else {
            throw JSONParseError(.numberTooLong(limit: JSONBodyParser.maximumNumberLength), offset: start)
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(.numberOutOfRange, offset: start)
        }
        return value
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = position
        for expected in UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd(expected: "\(word)"), offset: start)
            }
            guard bytes[position] == expected else {
                throw JSONParseError(.unexpectedByte(bytes[position], expected: "\(word)"), offset: position)
            }
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd(expected: what), offset: position) }
        guard bytes[position] == byte else {
            throw JSONParseError(.unexpectedByte(bytes[position], expected: what), offset: position)
        }
        position += 1
    }

    private func peek(_ ahead: Int = 0) -> UInt8? {
        position + ahead < bytes.count ? bytes[position + ahead] : nil
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    /// Skips RFC 8259 white space: space, tab, line feed, carriage return (nothing else).
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }
}
