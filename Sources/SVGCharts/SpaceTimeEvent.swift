/// One event of a `SpaceTimeDiagram`: a dot on its VM's lane at its time, labelled with its
/// Lamport clock value.
public struct SpaceTimeEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case internalEvent, send, receive
    }

    /// Identifies the event for `SpaceTimeArrow`s; unique within a diagram (the first one wins).
    public var id: Int
    /// Index into the diagram's lanes (0-based); events on negative lanes are skipped.
    public var lane: Int
    /// Seconds since the start of the run.
    public var time: Double
    public var kind: Kind
    public var clock: Int

    public init(id: Int, lane: Int, time: Double, kind: Kind, clock: Int) {
        self.id = id
        self.lane = lane
        self.time = time
        self.kind = kind
        self.clock = clock
    }
}

/// A message in a `SpaceTimeDiagram`: an arrow from its send event to its receive event, given by
/// event ids. Arrows naming an event that is not in the diagram are skipped.
public struct SpaceTimeArrow: Sendable, Equatable {
    /// How the arrow is drawn: a solid line for a message, a dashed one of its own color for a
    /// duplicate (an extra copy of a message received before).
    public enum Style: Sendable, Equatable {
        case message, duplicate
    }

    public var fromEvent: Int
    public var toEvent: Int
    public var style: Style

    public init(fromEvent: Int, toEvent: Int, style: Style = .message) {
        self.fromEvent = fromEvent
        self.toEvent = toEvent
        self.style = style
    }
}
