import DequeModule

/// The messages that arrived and wait for a tick to receive them, oldest first, and which of them
/// are duplicate copies (made by a `duplicate` fault at their sender).
///
/// Duplicates are rare, so they are noted apart, by their place in the order of arrival: the
/// queue of a run without faults holds the messages and nothing else, and taking one out costs
/// one comparison of two integers more than a plain deque.
struct MessageQueue: Sendable {
    private var messages: Deque<PeerMessage> = []
    /// How many messages were taken out so far: the arrival number (0 for the first message ever
    /// queued, then 1, 2, ...) of the oldest one still queued.
    private var taken = 0
    /// The arrival number of the oldest duplicate copy still queued; `Int.max` when none is.
    private var nextDuplicate = Int.max
    /// The arrival numbers of the duplicate copies queued after that one, ascending.
    private var laterDuplicates: Deque<Int> = []

    var count: Int { messages.count }

    /// The queued messages, oldest first.
    var all: [PeerMessage] { Array(messages) }

    @inline(__always)
    mutating func append(_ message: PeerMessage, duplicate: Bool) {
        if duplicate {
            let number = taken + messages.count
            if nextDuplicate == Int.max { nextDuplicate = number } else { laterDuplicates.append(number) }
        }
        messages.append(message)
    }

    /// Takes out the oldest message, and whether it is a duplicate copy.
    @inline(__always)
    mutating func popFirst() -> (message: PeerMessage, duplicate: Bool)? {
        guard let message = messages.popFirst() else { return nil }
        let number = taken
        taken += 1
        guard number == nextDuplicate else { return (message, false) }
        nextDuplicate = laterDuplicates.popFirst() ?? Int.max
        return (message, true)
    }
}
