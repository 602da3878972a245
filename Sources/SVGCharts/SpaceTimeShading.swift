/// A shaded stretch of one lane of a `SpaceTimeDiagram` (x in the diagram's seconds), e.g. while
/// that process was in an unusual state; its label is written small at the band's top left.
public struct SpaceTimeShading: Sendable, Equatable {
    public var lane: Int
    public var interval: ShadedInterval

    public init(lane: Int, interval: ShadedInterval) {
        self.lane = lane
        self.interval = interval
    }
}
