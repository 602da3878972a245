/// One answer of `GET /log`, `{"events":[line,...],"next":SEQ}`, cut into the log lines it
/// embeds. The control plane writes each event as the bytes of its log line, so every element
/// of `lines` is that line byte for byte, without its newline (what `vmserver collect` appends to
/// its copy of the log).
public struct LogPage: Equatable, Sendable {
    /// The lines of the page, oldest first, each without its newline.
    public var lines: [ArraySlice<UInt8>]
    /// The `next` of the answer: the seq to pass as `after` for the following page.
    public var next: Int

    public init(lines: [ArraySlice<UInt8>], next: Int) {
        self.lines = lines
        self.next = next
    }

    /// Why a body is not a `GET /log` page.
    public struct FormatError: Error, Equatable, CustomStringConvertible {
        public var offset: Int
        public var problem: String
        public var description: String { "not a GET /log page at byte \(offset): \(problem)" }
    }

    /// Cuts a `GET /log` body into its lines. Accepts whitespace between the envelope's tokens
    /// and the two keys in either order; anything else is a `FormatError` naming the byte.
    public static func parse(_ body: [UInt8]) throws(FormatError) -> LogPage {
        var scanner = PageScanner(bytes: body)
        var lines: [ArraySlice<UInt8>]?
        var next: Int?
        try scanner.expect(UInt8(ascii: "{"))
        repeat {
            let key = try scanner.key()
            try scanner.expect(UInt8(ascii: ":"))
            switch key {
            case "events" where lines == nil: lines = try scanner.objects()
            case "next" where next == nil: next = try scanner.integer()
            default: throw scanner.error("unexpected key '\(key)'")
            }
        } while try scanner.commaOrEnd(UInt8(ascii: "}"))
        try scanner.expectEnd()
        guard let lines, let next else { throw scanner.error("missing \(lines == nil ? "events" : "next")") }
        return LogPage(lines: lines, next: next)
    }
}

/// Reads the envelope of a page: keys, one integer, and an array of objects taken as raw bytes.
private struct PageScanner {
    let bytes: [UInt8]
    var position = 0

    func error(_ problem: String) -> LogPage.FormatError {
        LogPage.FormatError(offset: position, problem: problem)
    }

    mutating func skipSpaces() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func expect(_ byte: UInt8) throws(LogPage.FormatError) {
        skipSpaces()
        guard position < bytes.count, bytes[position] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        position += 1
    }

    mutating func expectEnd() throws(LogPage.FormatError) {
        skipSpaces()
        guard position == bytes.count else { throw error("unexpected bytes after the page") }
    }

    /// After a value: true at a comma, false at `end`.
    mutating func commaOrEnd(_ end: UInt8) throws(LogPage.FormatError) -> Bool {
        skipSpaces()
        guard position < bytes.count else { throw error("the page ends too early") }
        defer { position += 1 }
        if bytes[position] == UInt8(ascii: ",") { return true }
        if bytes[position] == end { return false }
        throw error("expected ',' or '\(Character(Unicode.Scalar(end)))'")
    }

    /// A key without escapes (the envelope's keys have none).
    mutating func key() throws(LogPage.FormatError) -> String {
        try expect(UInt8(ascii: "\""))
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
            guard bytes[position] != UInt8(ascii: "\\") else { throw error("unexpected escape in a key") }
            position += 1
        }
        guard position < bytes.count else { throw error("the page ends inside a key") }
        defer { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func integer() throws(LogPage.FormatError) -> Int {
        skipSpaces()
        let start = position
        while position < bytes.count, (48...57).contains(bytes[position]), position - start < 18 { position += 1 }
        guard position > start, let value = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
            throw error("expected a seq, a whole number")
        }
        return value
    }

    /// An array of objects, each as the bytes from its `{` to its `}`.
    mutating func objects() throws(LogPage.FormatError) -> [ArraySlice<UInt8>] {
        try expect(UInt8(ascii: "["))
        skipSpaces()
        var objects: [ArraySlice<UInt8>] = []
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return objects
        }
        repeat {
            skipSpaces()
            objects.append(try object())
        } while try commaOrEnd(UInt8(ascii: "]"))
        return objects
    }

    /// One object, nested objects and arrays and strings (with escapes) included; brackets must match.
    private mutating func object() throws(LogPage.FormatError) -> ArraySlice<UInt8> {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
            throw error("expected an event object")
        }
        let start = position
        var open: [UInt8] = []
        var inString = false
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    position += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): open.append(UInt8(ascii: "}"))
            case UInt8(ascii: "["): open.append(UInt8(ascii: "]"))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard open.popLast() == byte else { throw error("a bracket that does not match") }
                if open.isEmpty { return bytes[start..<position] }
            case 0x0A, 0x0D: throw error("a line break inside an event")
            default: break
            }
        }
        throw error("the page ends inside an event")
    }
}
