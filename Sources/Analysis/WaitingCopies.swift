/// The copies of one send that are still on their way, kept as positions in the send's `to` list:
/// a bit each for the first 64 recipients, a sorted list of positions beyond. Taking a copy off
/// changes a word, where a list of recipients would be copied (it shares its storage with `to`)
/// and allocated for every message.
///
/// It answers as the list `to.filter(isWaited)` would, with copies taken off by `remove(at:)`:
/// the same first match, the same order, duplicates in `to` included.
struct WaitingCopies: Sendable {
    /// The send's recipients, in its line's order.
    let to: [Int]
    private var first64: UInt64 = 0
    /// Positions from 64 on that are still waited for, ascending.
    private var beyond: [Int] = []

    /// Every copy of `to`.
    init(all to: [Int]) {
        self.to = to
        first64 = to.count >= 64 ? .max : (1 << UInt64(to.count)) &- 1
        if to.count > 64 { beyond = Array(64..<to.count) }
    }

    /// The copies to the recipients of `to` for which `isWaited` holds.
    init(to: [Int], waitingFor isWaited: (Int) -> Bool) {
        self.to = to
        for (position, recipient) in to.enumerated() where isWaited(recipient) {
            if position < 64 { first64 |= 1 << UInt64(position) } else { beyond.append(position) }
        }
    }

    var isEmpty: Bool { first64 == 0 && beyond.isEmpty }

    /// The position of the first copy still waited for that goes to `recipient`, or nil.
    func firstIndex(of recipient: Int) -> Int? {
        var bits = first64
        while bits != 0 {
            let position = bits.trailingZeroBitCount
            if to[position] == recipient { return position }
            bits &= bits &- 1
        }
        return beyond.first { to[$0] == recipient }
    }

    func contains(_ recipient: Int) -> Bool { firstIndex(of: recipient) != nil }

    /// Takes off the copy at `position` (one `firstIndex(of:)` gave).
    mutating func remove(at position: Int) {
        if position < 64 {
            first64 &= ~(1 << UInt64(position))
        } else {
            beyond.removeAll { $0 == position }
        }
    }

    /// The recipients of the copies still waited for, in the order of `to`.
    var recipients: [Int] {
        var result: [Int] = []
        var bits = first64
        while bits != 0 {
            result.append(to[bits.trailingZeroBitCount])
            bits &= bits &- 1
        }
        return result + beyond.map { to[$0] }
    }
}
