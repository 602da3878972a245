import EventLog
import LamportCore

/// The first tick events after a moment (up to a limit), with the messages between them: the
/// material of a space-time (Lamport) diagram. When the run has a fault (other than a
/// `clock_skew`) that starts after the window is full, the window starts again at that fault's
/// `fault` line, so the diagram shows what the faults do.
///
/// A run of more than `laneLimit` VMs (counted from the `start` lines before the window) is shown
/// focused: the busiest VM (highest configured rate, lowest id among ties) and the peers it
/// exchanges messages with first, up to `laneLimit` lanes; the window then starts once those
/// peers are known and keeps only their events.
public struct SpaceTimeWindow: Sendable {
    public struct Event: Sendable, Equatable {
        public var vm: Int
        public var time: Int64
        public var kind: EventKind
        public var clock: Int
        public var seq: Int
        public var message: PeerMessage?
        /// For a send: the recipients whose copy never left: listed in `dropped` or named by a later
        /// `drop` line (recipient down), or in `lost` (a loss fault).
        public var dropped: [Int] = []
        public var lost: [Int] = []
        /// For a receive: a second copy of a message (`"duplicate": true`).
        public var duplicate = false
    }

    /// More VMs than this: a focused window (see above).
    public static let laneLimit = 8
    /// The focal VM's events looked at to find its peers, at most.
    static let scoutingLimit = 24

    public private(set) var from: Int64
    public let limit: Int
    /// The VMs shown, focal VM first, then its peers ascending; nil: every VM (not focused).
    public private(set) var lanes: [Int]?
    /// The focal VM's configured rate (infinity for max).
    public private(set) var focusRate: Double?
    private var laneSet: Set<Int> = []
    /// Configured rates from the `start` lines seen before the first event of the window.
    private var startRates: [Int: Double] = [:]
    private var decided = false
    private var scouting = false
    private var scoutedEvents = 0
    /// Whether the window was moved to the start of the run's first fault.
    public private(set) var startsAtFault = false
    private var sawFault = false
    public private(set) var events: [Event] = []
    /// Whether `events` holds `limit` events (kept, so that a line costs one check once it does).
    public private(set) var isFull: Bool

    public init(from: Int64, limit: Int = 120) {
        self.from = from
        self.limit = limit
        isFull = limit <= 0
    }

    /// Takes the next line of the run, in time order across VMs, and keeps it if it is a tick
    /// event at or after `from` and the window is not full; a `drop` line of a send in the window
    /// marks that copy dropped; other lines are ignored. Once `isFull`, the caller may stop
    /// feeding it (it then misses only `drop` lines of the window's last sends).
    @inline(__always)
    public mutating func consume(_ record: LogRecord) {
        if record.kind == .drop {
            noteDrop(record)
        } else if record.kind == .fault {
            noteFault(record)
        } else if !isFull {
            keep(record)
        }
    }

    /// At the run's first fault (not a `clock_skew`, which marks no message): if the window is full
    /// already, it starts again here.
    private mutating func noteFault(_ record: LogRecord) {
        guard !sawFault, record.fault?.kind != FaultKind.clockSkewName else { return }
        if lanes != nil, !laneSet.contains(record.vm) { return }
        sawFault = true
        guard isFull, record.time >= from else { return }
        from = record.time
        events.removeAll(keepingCapacity: true)
        isFull = limit <= 0
        startsAtFault = true
    }

    /// Keeps `record` if it is a tick event at or after `from` (of a lane of a focused window).
    private mutating func keep(_ record: LogRecord) {
        if !decided, record.kind == .start {
            startRates[record.vm] = record.tickRate ?? 0
            return
        }
        guard record.time >= from, let kind = record.kind, kind.isTickEvent else { return }
        // Start lines stamped the same as the window's first events may come after them.
        if !decided, startRates.count > Self.laneLimit || record.time > from { decide() }
        if scouting {
            scout(record)
            return
        }
        if lanes != nil, !laneSet.contains(record.vm) { return }
        var event = Event(
            vm: record.vm, time: record.time, kind: kind, clock: record.clock, seq: record.seq,
            message: record.message, duplicate: record.duplicate)
        if kind == .send, !record.dropped.isEmpty || !record.lost.isEmpty {
            event.dropped = record.dropped.filter(record.to.contains)
            event.lost = record.lost.filter { record.to.contains($0) && !record.dropped.contains($0) }
        }
        events.append(event)
        isFull = events.count >= limit
    }

    /// Once more than `laneLimit` VMs started, or at the first event after `from`: focused when
    /// more than `laneLimit` VMs started (events kept before that are let go).
    private mutating func decide() {
        decided = true
        guard startRates.count > Self.laneLimit,
            let focus = startRates.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })
        else { return }
        events.removeAll()
        isFull = limit <= 0
        lanes = [focus.key]
        laneSet = [focus.key]
        focusRate = focus.value
        scouting = true
        startRates = [:]
    }

    /// While finding the focal VM's peers: its sends' recipients and its receives' senders, until
    /// the lanes are full or it had `scoutingLimit` events; the window starts after that event.
    private mutating func scout(_ record: LogRecord) {
        guard let focus = lanes?.first, record.vm == focus else { return }
        scoutedEvents += 1
        let peers = record.kind == .send ? record.to : (record.message.map { [$0.from] } ?? [])
        for peer in peers where laneSet.count < Self.laneLimit && !laneSet.contains(peer) {
            laneSet.insert(peer)
        }
        guard laneSet.count >= Self.laneLimit || scoutedEvents >= Self.scoutingLimit else { return }
        scouting = false
        lanes = [focus] + laneSet.subtracting([focus]).sorted()
        from = record.time + 1
    }

    /// A `drop` line: a copy its sender's faults held back was dropped (a dropped duplicate copy
    /// is not marked: its original is drawn by itself).
    private mutating func noteDrop(_ record: LogRecord) {
        guard !record.duplicate, !events.isEmpty, let sendSeq = record.sendSeq, let recipient = record.to.first,
            let index = events.lastIndex(where: { $0.kind == .send && $0.vm == record.vm && $0.seq == sendSeq })
        else { return }
        if !events[index].dropped.contains(recipient) { events[index].dropped.append(recipient) }
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
