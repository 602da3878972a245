import JSONText
import LamportCore

/// Writes `VMEvent`s as JSON lines in the event-log format (docs/log-format.md).
///
/// Hand-written rather than `JSONEncoder` because a VM at full speed writes well over 100,000
/// lines a second and the key order is part of the contract: seq, vm, type, clock, time, queue,
/// then the optional keys.
public struct EventLineEncoder: Sendable {
    private var timeFormatter = RFC3339Formatter()

    public init() {}

    /// Appends one line, with its trailing newline, to `buffer`.
    public mutating func append(_ event: VMEvent, at time: WallTime, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: Keys.seq)
        JSONBytes.appendInt(event.seq, to: &buffer)
        buffer.append(contentsOf: Keys.vm)
        JSONBytes.appendInt(event.vm, to: &buffer)
        buffer.append(contentsOf: Keys.type)
        buffer.append(contentsOf: event.kind.rawValue.utf8)
        buffer.append(contentsOf: Keys.clock)
        JSONBytes.appendInt(event.clock, to: &buffer)
        buffer.append(contentsOf: Keys.time)
        timeFormatter.append(time, to: &buffer)
        buffer.append(contentsOf: Keys.queue)
        JSONBytes.appendInt(event.queue, to: &buffer)
        if let to = event.to {
            buffer.append(contentsOf: Keys.to)
            JSONBytes.appendInts(to, to: &buffer)
        }
        if let dropped = event.dropped {
            buffer.append(contentsOf: Keys.dropped)
            JSONBytes.appendInts(dropped, to: &buffer)
        }
        if let message = event.message {
            buffer.append(contentsOf: Keys.from)
            JSONBytes.appendInt(message.from, to: &buffer)
            buffer.append(contentsOf: Keys.sendSeq)
            JSONBytes.appendInt(message.sendSeq, to: &buffer)
            buffer.append(contentsOf: Keys.msgClock)
            JSONBytes.appendInt(message.clock, to: &buffer)
        }
        for field in event.extra {
            buffer.append(contentsOf: #",""#.utf8)
            JSONBytes.appendEscaped(field.key, to: &buffer)
            buffer.append(contentsOf: #"":"#.utf8)
            Self.appendValue(field.value, to: &buffer)
        }
        buffer.append(contentsOf: "}\n".utf8)
    }

    /// One line as a string, with its trailing newline.
    public mutating func line(_ event: VMEvent, at time: WallTime) -> String {
        var bytes: [UInt8] = []
        append(event, at: time, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as JSON text (a non-finite double as `null`).
    public static func appendValue(_ value: LogValue, to buffer: inout [UInt8]) {
        switch value {
        case .int(let number): JSONBytes.appendInt(number, to: &buffer)
        case .double(let number): JSONBytes.appendDouble(number, to: &buffer)
        case .string(let text): JSONBytes.appendString(text, to: &buffer)
        case .bool(let flag): JSONBytes.appendBool(flag, to: &buffer)
        case .ints(let numbers): JSONBytes.appendInts(numbers, to: &buffer)
        case .null: buffer.append(contentsOf: "null".utf8)
        }
    }
}

/// The text before each fixed value of a line, built once from the `LogKey` names: `{"seq":`,
/// `,"vm":`, `,"type":"`, `","clock":` (closing the type's string), and so on.
private enum Keys {
    static let seq = Array("{\"\(LogKey.seq.rawValue)\":".utf8)
    static let vm = middle(.vm)
    static let type = middle(.type) + [UInt8(ascii: "\"")]
    static let clock = Array("\"".utf8) + middle(.clock)
    static let time = middle(.time) + [UInt8(ascii: "\"")]
    static let queue = Array("\"".utf8) + middle(.queue)
    static let to = middle(.to)
    static let dropped = middle(.dropped)
    static let from = middle(.from)
    static let sendSeq = middle(.sendSeq)
    static let msgClock = middle(.msgClock)

    private static func middle(_ key: LogKey) -> [UInt8] {
        Array(",\"\(key.rawValue)\":".utf8)
    }
}
