import Foundation
import Testing

@testable import JSONText
@testable import LamportCore

@Suite struct JSONBodyParserTests {
    /// Parses `text` (its UTF-8 bytes).
    static func parse(
        _ text: String, maximumDepth: Int = JSONBodyParser.defaultMaximumDepth
    ) throws(JSONParseError)
        -> JSONValue
    {
        try JSONBodyParser(maximumDepth: maximumDepth).parse(Array(text.utf8))
    }

    /// The error parsing `bytes` gives (nil if it parses).
    static func error(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONBodyParser().parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    static func error(_ text: String) -> JSONParseError? { error(Array(text.utf8)) }

    /// What the parser says it expected where a value should start.
    static let value = "a value (object, array, string, number, true, false or null)"

    /// `{"x":[...]}` where the array holds `siblings` arrays each nested `depth` deep: the body that
    /// used to stall the control plane for 35 s (65 siblings of depth 500 fit in 64 KiB).
    static func nestedArrayBomb(siblings: Int = 65, depth: Int = 500) -> [UInt8] {
        let one = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        return Array((#"{"x":["# + Array(repeating: one, count: siblings).joined(separator: ",") + "]}").utf8)
    }

    @Test func values() throws {
        #expect(try Self.parse("null") == .null)
        #expect(try Self.parse(" true ") == .bool(true))
        #expect(try Self.parse("\t\r\nfalse\n") == .bool(false))
        #expect(try Self.parse(#""a b""#) == .string("a b"))
        #expect(try Self.parse("[]") == .array([]))
        #expect(try Self.parse("{}") == .object([]))
        #expect(try Self.parse("[1, [2], {}]") == .array([.number(1), .array([.number(2)]), .object([])]))
        let object = try Self.parse(#"{"tick_rate": 2.5, "paused": false, "nested": {"a": [null]}}"#)
        #expect(
            object
                == .object([
                    .init("tick_rate", .number(2.5)), .init("paused", .bool(false)),
                    .init("nested", .object([.init("a", .array([.null]))])),
                ]))
        #expect(object["paused"] == .bool(false))
        #expect(object["missing"] == nil)
    }

    @Test("the 64 KiB nested-array bomb is refused at depth 17, with the path to it")
    func nestedArrayBomb() {
        let bomb = Self.nestedArrayBomb()
        #expect(bomb.count <= 64 * 1024)
        let error = Self.error(bomb)
        #expect(error?.problem == .tooDeep(limit: 16))
        // {"x": [ [ [ ... : the object is level 1, x's array level 2, so the 17th level is the
        // 15th bracket of the first sibling, found at offset 5 + 1 + 14.
        #expect(error?.offset == 20)
        #expect(error?.path == [.key("x")] + Array(repeating: .index(0), count: 15))
        #expect(error?.description.contains("nested deeper than 16 levels") == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("x[0][0]") == true, "\(String(describing: error))")
    }

    @Test func depthLimit() throws {
        let sixteen = String(repeating: "[", count: 16) + String(repeating: "]", count: 16)
        #expect(throws: Never.self) { try Self.parse(sixteen) }
        let seventeen = String(repeating: "[", count: 17) + String(repeating: "]", count: 17)
        #expect(Self.error(seventeen)?.problem == .tooDeep(limit: 16))
        let objects = String(repeating: #"{"a":"#, count: 17) + "1" + String(repeating: "}", count: 17)
        #expect(Self.error(objects)?.problem == .tooDeep(limit: 16))
        #expect(Self.error(objects)?.pathDescription == Array(repeating: "a", count: 16).joined(separator: "."))
        #expect(throws: Never.self) { try Self.parse("[[1]]", maximumDepth: 2) }
        #expect(throws: JSONParseError(.tooDeep(limit: 1), offset: 1, path: [.index(0)])) {
            try Self.parse("[[1]]", maximumDepth: 1)
        }
        #expect(throws: Never.self) { try Self.parse("1", maximumDepth: 0) }
        // Wide is fine: the limit is on depth, not size.
        let wide = "[" + Array(repeating: "[1]", count: 10_000).joined(separator: ",") + "]"
        guard case .array(let elements) = try Self.parse(wide) else { Issue.record("not an array"); return }
        #expect(elements.count == 10_000)
    }

    @Test("with .keepFirst a repeated key keeps its first value; later values must still be valid")
    func duplicateKeysKeepFirst() throws {
        let parser = JSONBodyParser(duplicateKeys: .keepFirst)
        let value = try parser.parse(Array(#"{"a": 1, "b": [2], "a": {"x": 3}}"#.utf8))
        #expect(value == .object([.init("a", .number(1)), .init("b", .array([.number(2)]))]))
        #expect(throws: JSONParseError.self) { try parser.parse(Array(#"{"a": 1, "a": tru}"#.utf8)) }
    }

    @Test func duplicateKeys() {
        let error = Self.error(#"{"tick_rate": 1, "paused": true, "tick_rate": 2}"#)
        #expect(error == JSONParseError(.duplicateKey("tick_rate"), offset: 33))
        #expect(error?.description == "invalid JSON at offset 33: duplicate key 'tick_rate'")
        // Also nested, and after unescaping ("\u0061" is "a").
        #expect(Self.error(#"{"o": {"a": 1, "\u0061": 2}}"#)?.problem == .duplicateKey("a"))
        #expect(Self.error(#"{"o": {"a": 1, "\u0061": 2}}"#)?.path == [.key("o")])
        // Keys are compared byte for byte: é precomposed and e + combining acute are two keys.
        #expect(throws: Never.self) { try Self.parse("{\"\u{E9}\": 1, \"e\u{301}\": 2}") }
        // The same key in sibling objects is no duplicate.
        #expect(throws: Never.self) { try Self.parse(#"[{"a": 1}, {"a": 2}]"#) }
    }

    @Test func trailingCommas() {
        #expect(Self.error("[1, 2,]") == JSONParseError(.trailingComma, offset: 5))
        #expect(Self.error(#"{"a": 1,}"#) == JSONParseError(.trailingComma, offset: 7))
        #expect(Self.error("[1, 2, ]")?.problem == .trailingComma)
        #expect(Self.error(#"{"a": [1,]}"#)?.path == [.key("a")])
        #expect(Self.error("[,1]")?.problem == .unexpectedByte(UInt8(ascii: ","), expected: Self.value))
        #expect(Self.error("[1,,2]")?.problem.isUnexpectedByte == true)
        #expect(Self.error(#"{,}"#)?.problem.isUnexpectedByte == true)
    }

    @Test("what RFC 8259 does not allow is refused")
    func notJSON() {
        let refused: [(String, JSONParseError.Problem)] = [
            ("", .empty),
            ("   \n", .empty),
            ("[1, 2", .unexpectedEnd(expected: "',' or ']'")),
            (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1"), expected: "':' after the key")),
            ("{a: 1}", .unexpectedByte(UInt8(ascii: "a"), expected: "a key in double quotes")),
            ("{'a': 1}", .unexpectedByte(UInt8(ascii: "'"), expected: "a key in double quotes")),
            ("{1: 1}", .unexpectedByte(UInt8(ascii: "1"), expected: "a key in double quotes")),
            ("[1] [2]", .trailingData),
            ("1 2", .trailingData),
            ("tru", .unexpectedEnd(expected: "true")),
            ("nul", .unexpectedEnd(expected: "null")),
            ("True", .unexpectedByte(UInt8(ascii: "T"), expected: Self.value)),
            ("\u{FEFF}{}", .unexpectedByte(0xEF, expected: Self.value)),
            ("[1]\u{0}", .trailingData),
            ("\u{0B}1", .unexpectedByte(0x0B, expected: Self.value)),
            ("[1]// comment", .trailingData),
            ("NaN", .unexpectedByte(UInt8(ascii: "N"), expected: Self.value)),
        ]
        for (text, problem) in refused {
            #expect(Self.error(text)?.problem == problem, "\(text.debugDescription)")
        }
    }

    @Test func strings() throws {
        #expect(try Self.parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{8} \u{C} \n \r \t"))
        #expect(try Self.parse(#""\u0041\u00e9\u4E2D""#) == .string("A\u{E9}\u{4E2D}"))
        #expect(try Self.parse(#""\ud83d\ude00""#) == .string("\u{1F600}"))
        #expect(try Self.parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try Self.parse("\"\u{E9}\u{4E2D}\u{1F600}\"") == .string("\u{E9}\u{4E2D}\u{1F600}"))
        #expect(Self.error(#""\ud83d""#)?.problem == .loneSurrogate)
        #expect(Self.error(#""\ud83dx""#)?.problem == .loneSurrogate)
        #expect(Self.error(#""\ude00""#)?.problem == .loneSurrogate)
        #expect(Self.error(#""\ud83d\u0041""#)?.problem == .loneSurrogate)
        #expect(Self.error(#""\u12""#)?.problem == .invalidUnicodeEscape)
        #expect(Self.error(#""\u12g4""#)?.problem == .invalidUnicodeEscape)
        #expect(Self.error(#""\x41""#) == JSONParseError(.invalidEscape, offset: 1))
        #expect(Self.error(#""\'""#)?.problem == .invalidEscape)
        #expect(Self.error("\"a\nb\"") == JSONParseError(.controlCharacterInString, offset: 2))
        #expect(Self.error("\"a\tb\"")?.problem == .controlCharacterInString)
        #expect(Self.error("\"abc")?.problem == .unexpectedEnd(expected: "the closing '\"' of a string"))
        #expect(Self.error("\"abc\\")?.problem == .unexpectedEnd(expected: "an escape after '\\'"))
    }

    @Test func invalidUTF8() {
        let refused: [[UInt8]] = [
            [0xFF],  // never in UTF-8
            [0xC0, 0xAF],  // overlong '/'
            [0xE0, 0x80, 0xAF],  // overlong
            [0xED, 0xA0, 0x80],  // a surrogate (U+D800)
            [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],
            [0xC3],  // truncated
            [0xE4, 0xB8],  // truncated
            [0x80],  // a lone continuation byte
            [0xC3, 0x28],  // a lead byte without its continuation
        ]
        for bytes in refused {
            let body = Array(#"{"a": ""#.utf8) + bytes + Array(#""}"#.utf8)
            let error = Self.error(body)
            #expect(error == JSONParseError(.invalidUTF8, offset: 7, path: [.key("a")]), "\(bytes)")
            #expect(Self.error(Array("\"".utf8) + bytes + Array("\"".utf8))?.problem == .invalidUTF8, "\(bytes)")
        }
        // In a key too.
        #expect(
            Self.error([UInt8(ascii: "{"), UInt8(ascii: "\""), 0xFF] + Array(#"": 1}"#.utf8))?.problem == .invalidUTF8)
        // The largest scalars of each length are fine.
        let fine: [[UInt8]] = [
            [0x7F], [0xDF, 0xBF], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0xEE, 0x80, 0x80],
        ]
        for bytes in fine {
            #expect(Self.error(Array("\"".utf8) + bytes + Array("\"".utf8)) == nil, "\(bytes)")
        }
    }

    @Test("numbers: the grammar, exponents, and the range of binary64")
    func numbers() throws {
        let accepted: [(String, Double)] = [
            ("0", 0), ("-0", -0.0), ("1e3", 1000), ("1E3", 1000), ("1e+3", 1000), ("2.5e-1", 0.25), ("0.5", 0.5),
            ("-12.75", -12.75), ("1000000", 1_000_000), ("0.001", 0.001), ("1e-400", 0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            ("1.7976931348623157e308", .greatestFiniteMagnitude),
        ]
        for (text, value) in accepted {
            #expect(try Self.parse(text) == .number(value), "\(text)")
        }
        let refused: [(String, JSONParseError.Problem)] = [
            ("01", .invalidNumber("a leading zero")),
            ("-01", .invalidNumber("a leading zero")),
            ("-", .invalidNumber("'-' without a digit after it")),
            ("-a", .invalidNumber("'-' without a digit after it")),
            ("1.", .invalidNumber("no digit after the decimal point")),
            ("1.e3", .invalidNumber("no digit after the decimal point")),
            ("1e", .invalidNumber("no digit in the exponent")),
            ("1e+", .invalidNumber("no digit in the exponent")),
            ("1e400", .numberOutOfRange),
            ("-1e400", .numberOutOfRange),
            ("1e999999999999999999", .numberOutOfRange),
            ("+1", .unexpectedByte(UInt8(ascii: "+"), expected: Self.value)),
            (".5", .unexpectedByte(UInt8(ascii: "."), expected: Self.value)),
            ("0x10", .trailingData),
            ("1" + String(repeating: "0", count: 100), .numberTooLong(limit: 100)),
            ("0." + String(repeating: "0", count: 60_000) + "1", .numberTooLong(limit: 100)),
        ]
        for (text, problem) in refused {
            #expect(Self.error(text)?.problem == problem, "\(text.prefix(40))")
        }
        #expect(
            Self.error(#"{"tick_rate": 1e400}"#)?.description
                == "tick_rate: invalid JSON at offset 14: a number out of range (beyond +-1.8e308)")
    }

    @Test("the raw-buffer entry point reads the same bytes")
    func rawBuffer() throws {
        let bytes = Array(#"{"a": [1, "b"]}"#.utf8)
        let value = try bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try JSONBodyParser().parse(raw) }
        }.get()
        #expect(value == .object([.init("a", .array([.number(1), .string("b")]))]))
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(throws: JSONParseError(.empty, offset: 0)) { try JSONBodyParser().parse(empty) }
    }

    @Test("any prefix of a valid text fails with an error, never a crash")
    func prefixes() {
        let text = Array(#"{"a": [1.5e3, -2, "\u00e9\ud83d\ude00", true, false, null, {"b": {}}], "c": "é"}"#.utf8)
        for end in 0..<text.count {
            #expect(Self.error(Array(text[..<end])) != nil, "prefix of \(end) bytes")
        }
        #expect(Self.error(text) == nil)
    }
}

/// Seeded random mutations of valid texts: the parser never crashes, and whatever it accepts,
/// Foundation's parser accepts too, with the same value.
@Suite struct JSONBodyParserMutationTests {
    static let seeds = [
        #"{"tick_rate": 2.5, "max_action": 10, "paused": false}"#,
        #"{"a": [1, -2.5e-3, "x\ny\u00e9\ud83d\ude00", true, null, {"b": []}], "c": "\u0041"}"#,
        "[0, 1e3, 1E-2, -0, 12345678901234567890, \"é中😀\"]",
    ]
    static let alphabet =
        Array(#"{}[]:,"\/ -+.0123456789eEtrufalsn"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xA9, 0xED, 0xFF]

    @Test func mutations() {
        var random = SeededRandom(seed: 20_261_129)
        var accepted = 0
        for round in 0..<20_000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0...Int.random(in: 0...3, using: &random) {
                let index = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0 where index < bytes.count: bytes.remove(at: index)
                case 1 where index < bytes.count: bytes[index] = Self.alphabet.randomElement(using: &random)!
                default: bytes.insert(Self.alphabet.randomElement(using: &random)!, at: index)
                }
            }
            guard let value = try? JSONBodyParser().parse(bytes) else { continue }
            accepted += 1
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(foundation != nil, "accepted, but Foundation refuses: \(String(decoding: bytes, as: UTF8.self))")
            if let foundation {
                #expect(Self.same(value, foundation), "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 100, "the mutations should leave some texts valid")
    }

    /// Whether our value and Foundation's are the same JSON value.
    static func same(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .null: return other is NSNull
        case .bool(let flag): return (other as? Bool) == flag
        case .number(let number):
            // Foundation keeps long numbers as decimals, whose doubleValue may be off by an ulp.
            guard let theirs = (other as? NSNumber)?.doubleValue else { return false }
            return abs(theirs - number) <= 1e-14 * max(1, abs(number))
        case .string(let text): return (other as? String).map { Array($0.utf8) == Array(text.utf8) } ?? false
        case .array(let elements):
            guard let others = other as? [Any], others.count == elements.count else { return false }
            return zip(elements, others).allSatisfy { same($0, $1) }
        case .object(let members):
            guard let others = other as? [String: Any], others.count == members.count else { return false }
            return members.allSatisfy { member in others[member.key].map { same(member.value, $0) } ?? false }
        }
    }
}

extension JSONParseError.Problem {
    var isUnexpectedByte: Bool {
        if case .unexpectedByte = self { return true }
        return false
    }
}
