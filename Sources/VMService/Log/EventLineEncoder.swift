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
        buffer.append(contentsOf: #"{"seq":"#.utf8)
        Self.appendInt(event.seq, to: &buffer)
        buffer.append(contentsOf: #","vm":"#.utf8)
        Self.appendInt(event.vm, to: &buffer)
        buffer.append(contentsOf: #","type":""#.utf8)
        buffer.append(contentsOf: event.kind.rawValue.utf8)
        buffer.append(contentsOf: #"","clock":"#.utf8)
        Self.appendInt(event.clock, to: &buffer)
        buffer.append(contentsOf: #","time":""#.utf8)
        timeFormatter.append(time, to: &buffer)
        buffer.append(contentsOf: #"","queue":"#.utf8)
        Self.appendInt(event.queue, to: &buffer)
        if let to = event.to {
            buffer.append(contentsOf: #","to":"#.utf8)
            Self.appendInts(to, to: &buffer)
        }
        if let dropped = event.dropped {
            buffer.append(contentsOf: #","dropped":"#.utf8)
            Self.appendInts(dropped, to: &buffer)
        }
        if let message = event.message {
            buffer.append(contentsOf: #","from":"#.utf8)
            Self.appendInt(message.from, to: &buffer)
            buffer.append(contentsOf: #","send_seq":"#.utf8)
            Self.appendInt(message.sendSeq, to: &buffer)
            buffer.append(contentsOf: #","msg_clock":"#.utf8)
            Self.appendInt(message.clock, to: &buffer)
        }
        for field in event.extra {
            buffer.append(contentsOf: #",""#.utf8)
            Self.appendEscaped(field.key, to: &buffer)
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

    static func appendValue(_ value: LogValue, to buffer: inout [UInt8]) {
        switch value {
        case .int(let number): appendInt(number, to: &buffer)
        case .double(let number):
            buffer.append(contentsOf: (number.isFinite ? String(number) : "null").utf8)
        case .string(let text):
            buffer.append(UInt8(ascii: "\""))
            appendEscaped(text, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
        case .bool(let flag): buffer.append(contentsOf: (flag ? "true" : "false").utf8)
        case .ints(let numbers): appendInts(numbers, to: &buffer)
        case .null: buffer.append(contentsOf: "null".utf8)
        }
    }

    static func appendInts(_ numbers: [Int], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "["))
        for (index, number) in numbers.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            appendInt(number, to: &buffer)
        }
        buffer.append(UInt8(ascii: "]"))
    }

    static func appendInt(_ number: Int, to buffer: inout [UInt8]) {
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

    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
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
