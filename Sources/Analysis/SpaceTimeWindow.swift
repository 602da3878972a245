import EventLog
import LamportCore

/// The first tick events after a moment (up to a limit), with the messages between them: the
/// material of a space-time (Lamport) diagram.
public struct SpaceTimeWindow: Sendable {
    public struct Event: Sendable, Equatable {
        public var vm: Int
        public var time: Int64
        public var kind: EventKind
        public var clock: Int
        public var seq: Int
        public var message: PeerMessage?
    }

    public let from: Int64
    public let limit: Int
    public private(set) var events: [Event] = []

    public init(from: Int64, limit: Int = 120) {
        self.from = from
        self.limit = limit
    }

    public var isFull: Bool { events.count >= limit }

    /// Takes the next line of the run, in time order across VMs, and keeps it if it is a tick
    /// event at or after `from` and the window is not full; other lines are ignored. Once
    /// `isFull`, the caller may stop feeding it.
    public mutating func consume(_ record: LogRecord) {
        guard !isFull, record.time >= from, let kind = record.kind, kind.isTickEvent else { return }
        events.append(
            Event(
                vm: record.vm, time: record.time, kind: kind, clock: record.clock, seq: record.seq,
                message: record.message))
    }

    /// Pairs of indices into `events`: (send, receive) of each message both ends of which are in
    /// the window.
    public func arrows() -> [(send: Int, receive: Int)] {
        var sends: [Int: [Int: Int]] = [:]
        for (index, event) in events.enumerated() where event.kind == .send {
            sends[event.vm, default: [:]][event.seq] = index
        }
        return events.enumerated().compactMap { index, event in
            guard event.kind == .receive, let message = event.message,
                let send = sends[message.from]?[message.sendSeq]
            else { return nil }
            return (send, index)
        }
    }
}
