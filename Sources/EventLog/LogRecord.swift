import LamportCore

/// One parsed line of an event log (docs/log-format.md), the fields the analysis needs.
public struct LogRecord: Sendable, Equatable {
    public var seq = 0
    public var vm = 0
    /// The `type` key; nil if it names no known kind.
    public var kind: EventKind?
    public var clock = 0
    /// The `time` key in microseconds since the Unix epoch.
    public var time: Int64 = 0
    public var queue = 0
    public var to: [Int] = []
    public var dropped: [Int] = []
    /// `lost` of a `send`: the recipients whose copy a fault destroyed.
    public var lost: [Int] = []
    /// `duplicate` of a `receive`: a second delivery of the same (from, send_seq).
    public var duplicate = false
    public var from: Int?
    public var sendSeq: Int?
    public var msgClock: Int?
    /// `peer` of peer_up / peer_down lines.
    public var peer: Int?
    /// `reason` of stop / peer_down lines.
    public var reason: String?
    /// `tick_rate` of start / config lines: ticks per second, or `.infinity` for "max".
    public var tickRate: Double?
    public var maxAction: Int?
    public var paused: Bool?
    /// `resumed_after_seq` of a `start` line: the last line of the earlier run this one continues.
    public var resumedAfterSeq: Int?
    /// The keys of `fault` and `heal` lines (`id`, `kind`, `peers`, parameters, `duration_s`);
    /// nil on lines without any of them (a `start` line's `peers` is here too).
    public var fault: LogFaultFields? {
        get { faultBox?.fields }
        set { faultBox = newValue.map(LogFaultFieldsBox.init) }
    }
    /// `fault`, boxed: a record is copied and destroyed for every line, and one optional reference
    /// costs the lines without it (nearly all) the least.
    private var faultBox: LogFaultFieldsBox?

    public init() {}

    /// The message this line names, for `receive` and `unprocessed` lines.
    public var message: PeerMessage? {
        guard let from, let sendSeq, let msgClock else { return nil }
        return PeerMessage(from: from, sendSeq: sendSeq, clock: msgClock)
    }
}

/// The box of `LogRecord.fault`.
final class LogFaultFieldsBox: Sendable, Equatable {
    let fields: LogFaultFields

    init(_ fields: LogFaultFields) {
        self.fields = fields
    }

    static func == (left: LogFaultFieldsBox, right: LogFaultFieldsBox) -> Bool { left.fields == right.fields }
}
