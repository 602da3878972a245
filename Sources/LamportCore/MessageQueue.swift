import DequeModule

/// The messages that arrived and wait for a tick to receive them, oldest first, and which of them
/// are duplicate copies (made by a `duplicate` fault at their sender).
///
/// Duplicates are rare, so they are noted apart, by their place in the order of arrival: the
/// queue of a run without faults holds the messages and nothing else, and taking one out costs a
/// single extra check.
struct MessageQueue: Sendable {
    private var messages: Deque<PeerMessage> = []
    /// The arrival numbers (0 for the first message queued, then 1, 2, ...) of the duplicate
    /// copies still queued, ascending.
    private var duplicates: Deque<Int> = []
    /// How many messages were taken out so far: the arrival number of the first one queued.
    private var taken = 0

    var count: Int { messages.count }

    /// The queued messages, oldest first.
    var all: [PeerMessage] { Array(messages) }

    @inline(__always)
    mutating func append(_ message: PeerMessage, duplicate: Bool) {
        if duplicate { duplicates.append(taken + messages.count) }
        messages.append(message)
    }

    /// Takes out the oldest message, and whether it is a duplicate copy.
    @inline(__always)
    mutating func popFirst() -> (message: PeerMessage, duplicate: Bool)? {
        guard let message = messages.popFirst() else { return nil }
        defer { taken += 1 }
        guard let next = duplicates.first, next == taken else { return (message, false) }
        duplicates.removeFirst()
        return (message, true)
    }
}
