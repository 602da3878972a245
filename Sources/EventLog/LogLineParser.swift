import LamportCore

/// An event-log line that is not valid JSON of the expected shape.
public struct LogParseError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

/// Parses one event-log line into a `LogRecord`.
///
/// A small parser for flat JSON objects, written by hand because the analysis reads millions of
/// lines and a general JSON decoder allocates a dictionary per line. Unknown keys are skipped
/// (any JSON value, nested ones included), so lines with extra keys still parse.
public struct LogLineParser {
    public init() {}

    /// Parses one line, without its newline: a JSON object with at least `seq`, `vm`, `type` and
    /// `clock`. Whitespace around tokens is allowed, and nothing after the closing brace is looked
    /// at. A known key must hold the type docs/log-format.md gives it (`time` RFC 3339 in UTC,
    /// `tick_rate` a number or `"max"`); a `type` this version does not know leaves `kind` nil
    /// rather than failing, and a repeated key keeps its last value.
    ///
    /// - Throws: `LogParseError` saying what is wrong, for a line that is not such an object.
    public func parse(_ line: UnsafeRawBufferPointer) throws(LogParseError) -> LogRecord {
        var cursor = LogLineCursor(bytes: line)
        var record = LogRecord()
        var sawSeq = false
        var sawVM = false
        var sawType = false
        var sawClock = false
        cursor.skipSpace()
        try cursor.expect(UInt8(ascii: "{"))
        cursor.skipSpace()
        if cursor.peek() == UInt8(ascii: "}") {
            throw LogParseError(message: "empty object")
        }
        while true {
            let key = try cursor.readKeyAndColon()
            switch key {
            case .seq?:
                record.seq = try cursor.readInt()
                sawSeq = true
            case .vm?:
                record.vm = try cursor.readInt()
                sawVM = true
            case .type?:
                record.kind = try cursor.readKind()
                sawType = true
            case .clock?:
                record.clock = try cursor.readInt()
                sawClock = true
            case .time?: record.time = try cursor.readTime()
            case .queue?: record.queue = try cursor.readInt()
            case .to?: record.to = try cursor.readIntArray()
            case .dropped?: record.dropped = try cursor.readIntArray()
            case .from?: record.from = try cursor.readInt()
            case .sendSeq?: record.sendSeq = try cursor.readInt()
            case .msgClock?: record.msgClock = try cursor.readInt()
            case .peer?: record.peer = try cursor.readInt()
            case .reason?: record.reason = try cursor.readString()
            case .tickRate?: record.tickRate = try cursor.readRate()
            case .maxAction?: record.maxAction = try cursor.readInt()
            case .paused?: record.paused = try cursor.readBool()
            case .resumedAfterSeq?: record.resumedAfterSeq = try cursor.readInt()
            case .lost?: record.lost = try cursor.readIntArray()
            case .duplicate?: record.duplicate = try cursor.readBool()
            case .address?, .seed?, .port?, .peers?, .totalVMs?, .id?, .kind?, .ms?, .jitterMs?, .distribution?,
                .probability?, .durationS?, .topology?, nil:
                try cursor.skipValue()
            }
            cursor.skipSpace()
            let next = cursor.next()
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw cursor.error("expected ',' or '}'") }
        }
        guard sawSeq, sawVM, sawType, sawClock else {
            throw LogParseError(message: "a line needs the keys seq, vm, type and clock")
        }
        if record.kind == .fault || record.kind == .heal { record.fault = try Self.faultFields(line) }
        return record
    }

    /// The fault keys of a `fault` or `heal` line, read in a second pass over the line: these
    /// lines are rare, so `parse` stays as lean as every other line needs.
    @inline(never)
    private static func faultFields(_ line: UnsafeRawBufferPointer) throws(LogParseError) -> LogFaultFields {
        var cursor = LogLineCursor(bytes: line)
        var fields = LogFaultFields()
        cursor.skipSpace()
        try cursor.expect(UInt8(ascii: "{"))
        while true {
            let key = try cursor.readKeyAndColon()
            switch key {
            case .peers?: fields.peers = try cursor.readIntArray()
            case .id?: fields.id = try cursor.readInt()
            case .kind?: fields.kind = try cursor.readString()
            case .ms?: fields.ms = try cursor.readInt()
            case .jitterMs?: fields.jitterMs = try cursor.readInt()
            case .distribution?: fields.distribution = try cursor.readString()
            case .probability?: fields.probability = try cursor.readNumber()
            case .durationS?: fields.durationS = try cursor.readNumber()
            default: try cursor.skipValue()
            }
            cursor.skipSpace()
            if cursor.next() == UInt8(ascii: "}") { return fields }
        }
    }

    /// Parses a line given as a string (convenient in tests).
    public func parse(_ line: String) throws(LogParseError) -> LogRecord {
        let bytes = Array(line.utf8)
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(LogParseError) in try parse(buffer) } }
        return try result.get()
    }
}

extension LogLineCursor {
    /// The next key of the object and the colon after it, with the spaces around them.
    @inline(__always)
    fileprivate mutating func readKeyAndColon() throws(LogParseError) -> LogKey? {
        skipSpace()
        let key = try readKey()
        skipSpace()
        try expect(UInt8(ascii: ":"))
        skipSpace()
        return key
    }
}
