/// A message of a `SpaceTimeDiagram` that never reached its recipient: a dashed stub from its send
/// event towards the recipient's lane, ending in a mark: a cross when the message was lost, a bar
/// when it was dropped (not sent, e.g. because the recipient was down). Stubs naming an event that
/// is not in the diagram, or a lane that does not exist, are skipped.
public struct SpaceTimeStub: Sendable, Equatable {
    public enum Fate: Sendable, Equatable {
        case lost, dropped
    }

    public var fromEvent: Int
    /// The recipient's lane.
    public var toLane: Int
    public var fate: Fate

    public init(fromEvent: Int, toLane: Int, fate: Fate) {
        self.fromEvent = fromEvent
        self.toLane = toLane
        self.fate = fate
    }
}
