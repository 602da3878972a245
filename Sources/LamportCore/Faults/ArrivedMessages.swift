/// The messages that have arrived at one VM, by `(from, send_seq)`, to tell a second delivery of
/// the same message (a `duplicate` fault at the sender) from the first.
///
/// One bit per `send_seq` of each sender, in words of 64 keyed by sender and `send_seq / 64`: one
/// hash lookup per arrival, about 1/8 byte per `seq` of the sender (plus the table's overhead per
/// word), and a stray large `send_seq` costs one word, not a run of them.
struct ArrivedMessages: Sendable {
    private struct Word: Hashable, Sendable {
        var from: Int
        var index: Int
    }

    private var words: [Word: UInt64] = [:]

    /// Notes that `message` arrived; true the first time, false for a repeat.
    mutating func insert(_ message: PeerMessage) -> Bool {
        let bit: UInt64 = 1 << UInt64(message.sendSeq & 63)
        let key = Word(from: message.from, index: message.sendSeq >> 6)
        let word = words[key, default: 0]
        guard word & bit == 0 else { return false }
        words[key] = word | bit
        return true
    }
}
