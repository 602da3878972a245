/// Running totals of one VM, kept by its core.
public struct VMCounters: Sendable, Equatable {
    public var internalEvents = 0
    public var sendEvents = 0
    public var receiveEvents = 0
    /// Messages handed to the network, per recipient id.
    public var sentTo: [Int: Int] = [:]
    /// Messages taken from the queue and processed, per sender id.
    public var receivedFrom: [Int: Int] = [:]
    /// Messages not sent because the recipient's connection was down, per recipient id.
    public var droppedTo: [Int: Int] = [:]
    /// Messages that arrived (queued), per sender id.
    public var arrivedFrom: [Int: Int] = [:]
    /// The longest the queue has been.
    public var maxQueue = 0

    public init() {}

    /// Tick events of all three kinds.
    public var tickEvents: Int { internalEvents + sendEvents + receiveEvents }
}
