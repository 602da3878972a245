/// The kind of a log line. Tick events change the clock; lifecycle lines do not.
public enum EventKind: String, Sendable, CaseIterable {
    case start
    case config
    case peerUp = "peer_up"
    case peerDown = "peer_down"
    case internalEvent = "internal"
    case send
    case receive
    case unprocessed
    case stop
    /// A fault started (`POST /faults`): its id and parameters. Lifecycle.
    case fault
    /// A fault ended (removed, or its duration passed): its id. Lifecycle.
    case heal
    /// A copy a fault held back (delayed, or behind a partition) that never left: its
    /// recipient's link went down first. `to` names the recipient, `send_seq` the send. Lifecycle.
    case drop

    /// Whether this kind is one of the three tick events that increment the Lamport clock.
    public var isTickEvent: Bool {
        switch self {
        case .internalEvent, .send, .receive: true
        default: false
        }
    }
}

/// A value of an extra field on a lifecycle line (`start`, `config`, `peer_up`, ...).
public enum LogValue: Sendable, Equatable {
    case int(Int)
    case double(Double)
    case string(String)
    case bool(Bool)
    case ints([Int])
    case null
}

/// One extra `key: value` pair on a lifecycle line, kept in the order given.
public struct LogField: Sendable, Equatable {
    public var key: String
    public var value: LogValue

    /// A field with one of the format's own keys.
    public init(_ key: LogKey, _ value: LogValue) {
        self.key = key.rawValue
        self.value = value
    }

    /// A field with a key of the caller's own (lines may carry extra keys).
    public init(_ key: String, _ value: LogValue) {
        self.key = key
        self.value = value
    }
}

/// One line of a VM's event log, without its wall-clock `time` (the driver stamps that).
///
/// The keys and their meaning are the contract in docs/log-format.md.
public struct VMEvent: Sendable, Equatable {
    public var seq: Int
    public var vm: Int
    public var kind: EventKind
    public var clock: Int
    public var queue: Int
    /// Recipients of a `send`.
    public var to: [Int]?
    /// Recipients of a `send` whose connection was down, so the message was not sent to them.
    public var dropped: [Int]?
    /// The message of a `receive` or `unprocessed` line.
    public var message: PeerMessage?
    /// Extra keys of lifecycle lines.
    public var extra: [LogField]

    /// Adds `lost` to a `send` line: the recipients whose copy a fault destroyed, ascending.
    /// Nothing when `recipients` is empty.
    public mutating func recordLost(_ recipients: [Int]) {
        guard !recipients.isEmpty else { return }
        extra.append(LogField(.lost, .ints(recipients)))
    }

    public init(
        seq: Int, vm: Int, kind: EventKind, clock: Int, queue: Int,
        to: [Int]? = nil, dropped: [Int]? = nil, message: PeerMessage? = nil, extra: [LogField] = []
    ) {
        self.seq = seq
        self.vm = vm
        self.kind = kind
        self.clock = clock
        self.queue = queue
        self.to = to
        self.dropped = dropped
        self.message = message
        self.extra = extra
    }
}
