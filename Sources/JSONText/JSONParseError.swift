/// Why `JSONBodyParser` refused a text: the problem, the byte offset where it was found, and the
/// path to the value it was found in (empty at the top level).
///
/// `description` is one line for people, e.g.
/// `tick_rate: invalid JSON at offset 14: number out of range (beyond +-1.8e308)` or
/// `invalid JSON at offset 31: duplicate key 'paused'`.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// Nothing but white space (or nothing at all).
        case empty
        /// The text ended where `expected` should have come.
        case unexpectedEnd(expected: String)
        /// A byte that cannot stand here; `expected` says what could.
        case unexpectedByte(UInt8, expected: String)
        /// A comma right before `]` or `}`.
        case trailingComma
        /// A key an object already has (keys are compared byte for byte, after unescaping).
        case duplicateKey(String)
        /// Arrays and objects nested deeper than the parser's limit.
        case tooDeep(limit: Int)
        /// Bytes that are not UTF-8 (overlong forms, surrogates and code points past U+10FFFF included).
        case invalidUTF8
        /// A byte below 0x20 inside a string (it must be escaped, e.g. `\n` or `\u0001`).
        case controlCharacterInString
        /// A backslash followed by something other than `"` `\` `/` `b` `f` `n` `r` `t` `u`.
        case invalidEscape
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\uD800`-`\uDFFF` escape that is not half of a surrogate pair.
        case loneSurrogate
        /// A number that breaks the grammar; the reason says how (e.g. "leading zero").
        case invalidNumber(String)
        /// A number literal longer than the parser accepts.
        case numberTooLong(limit: Int)
        /// A number whose magnitude is beyond binary64 (about 1.8e308).
        case numberOutOfRange
        /// Something after the value (other than white space).
        case trailingData
    }

    /// A step from the top-level value to the one the problem is in.
    public enum PathComponent: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public var problem: Problem
    /// Offset of the byte where the problem was found (0 = the first byte).
    public var offset: Int
    /// From the top-level value down to the value the problem is in.
    public var path: [PathComponent]

    public init(_ problem: Problem, offset: Int, path: [PathComponent] = []) {
        self.problem = problem
        self.offset = offset
        self.path = path
    }

    /// The same error, seen from one level up: inside `component`.
    func inside(_ component: PathComponent) -> JSONParseError {
        var error = self
        error.path.insert(component, at: 0)
        return error
    }

    /// The path as people write it: `x[0][1]`, `a.b`; empty at the top level.
    public var pathDescription: String {
        var text = ""
        for component in path {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += Self.shortened(key)
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    public var description: String {
        let path = pathDescription
        return (path.isEmpty ? "" : "\(path): ") + "invalid JSON at offset \(offset): \(problemDescription)"
    }

    public var problemDescription: String {
        switch problem {
        case .empty: "no JSON value (the text is empty)"
        case .unexpectedEnd(let expected): "the text ends where \(expected) should follow"
        case .unexpectedByte(let byte, let expected): "expected \(expected), found \(Self.describe(byte))"
        case .trailingComma: "a comma before a closing bracket (trailing commas are not JSON)"
        case .duplicateKey(let key): "duplicate key '\(Self.shortened(key))'"
        case .tooDeep(let limit): "arrays and objects nested deeper than \(limit) levels"
        case .invalidUTF8: "bytes that are not UTF-8"
        case .controlCharacterInString: "a control character in a string (escape it, e.g. \\n or \\u0001)"
        case .invalidEscape: "an unknown escape in a string (known: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
        case .invalidUnicodeEscape: "\\u not followed by four hex digits"
        case .loneSurrogate: "a \\u escape of half a surrogate pair without its other half"
        case .invalidNumber(let reason): "not a number: \(reason)"
        case .numberTooLong(let limit): "a number longer than \(limit) characters"
        case .numberOutOfRange: "a number out of range (beyond +-1.8e308)"
        case .trailingData: "more text after the JSON value"
        }
    }

    /// A byte as people read it: `'x'` when printable ASCII, else its hex value.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" : "") + hex
    }

    /// A key cut to 40 characters for messages (a body may hold a key of 64 KiB).
    public static func shortened(_ key: String) -> String {
        key.count <= 40 ? key : key.prefix(40) + "..."
    }
}
