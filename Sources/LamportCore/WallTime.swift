/// A point in system (wall-clock) time, in microseconds since the Unix epoch.
public struct WallTime: Sendable, Equatable, Comparable {
    public var microseconds: Int64

    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    public static func < (lhs: WallTime, rhs: WallTime) -> Bool { lhs.microseconds < rhs.microseconds }
}
