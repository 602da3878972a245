/// A topology that cannot be built for a cluster: the text says what and why, for a person
/// (callers prefix it with the setting or flag's name).
public struct TopologyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
