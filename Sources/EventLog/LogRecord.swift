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
    /// `reason` of stop, peer_down and heal lines.
    public var reason: String? {
        get { rare?.reason }
        set { rare = LogRecordRareFields.boxing(reason: newValue, fault: fault) }
    }
    /// `tick_rate` of start / config lines: ticks per second, or `.infinity` for "max".
    public var tickRate: Double?
    public var maxAction: Int?
    public var paused: Bool?
    /// `resumed_after_seq` of a `start` line: the last line of the earlier run this one continues.
    public var resumedAfterSeq: Int?
    /// The keys of a `fault` or `heal` line (`id`, `kind`, `peers`, parameters, `duration_s`); nil
    /// on other lines.
    public var fault: LogFaultFields? {
        get { rare?.fault }
        set { rare = LogRecordRareFields.boxing(reason: reason, fault: newValue) }
    }
    /// `reason` and `fault`, boxed: they are rare, and a record is copied and destroyed for every
    /// line, so the lines without them (nearly all) handle one nil reference for both.
    private var rare: LogRecordRareFields?

    public init() {}

    /// The message this line names, for `receive` and `unprocessed` lines.
    public var message: PeerMessage? {
        guard let from, let sendSeq, let msgClock else { return nil }
        return PeerMessage(from: from, sendSeq: sendSeq, clock: msgClock)
    }
}

/// The box of `LogRecord.reason` and `LogRecord.fault`.
final class LogRecordRareFields: Sendable, Equatable {
    let reason: String?
    let fault: LogFaultFields?

    init(reason: String?, fault: LogFaultFields?) {
        self.reason = reason
        self.fault = fault
    }

    /// A box of the two, nil when both are nil (so records without them compare equal).
    static func boxing(reason: String?, fault: LogFaultFields?) -> LogRecordRareFields? {
        reason == nil && fault == nil ? nil : LogRecordRareFields(reason: reason, fault: fault)
    }

    static func == (left: LogRecordRareFields, right: LogRecordRareFields) -> Bool {
        left.reason == right.reason && left.fault == right.fault
    }
}
