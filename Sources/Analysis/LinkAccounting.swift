/// Where the messages of each directed link (sender → recipient) went: `MessageAccounting` broken
/// down by link, so that the counts of all links add up to the run's.
///
/// Counting is a hot path (every message of a run passes here), so links between ids below
/// `denseLimit` (VM ids are 1...TOTAL_VMS) live in one flat array indexed from × width + to, its
/// width doubled (and the counts moved) when an id does not fit (at most 512 x 512 links, 18 MiB).
/// The links of a sender beyond those (ids below `senderLimit`) are kept in a small list per sender,
/// searched in order while short (a sparse topology: a few neighbours each) and indexed by a
/// dictionary once long; any other pair (only a broken log names one) is kept in a dictionary.
public struct LinkAccounting: Sendable, Equatable {
    /// One link's counts.
    public struct Link: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var messages: MessageAccounting

        public init(from: Int, to: Int, messages: MessageAccounting) {
            self.from = from
            self.to = to
            self.messages = messages
        }
    }

    private struct Pair: Hashable {
        var from: Int
        var to: Int
    }

    /// Ids from 0 up to this (exclusive) are counted in the arrays.
    static let denseLimit = 512

    /// Links from, to < `width` at `from * width + to`.
    private var dense: [MessageAccounting] = []
    private var width = 0
    private var sparse: [Pair: MessageAccounting] = [:]
    /// Senders below this id beyond the dense square keep their links in `bySender`.
    static let senderLimit = 1 << 20
    private var bySender: [SenderLinks] = []

    /// One sender's links outside the dense square.
    private struct SenderLinks: Sendable, Equatable {
        var recipients: [Int] = []
        var counts: [MessageAccounting] = []
        /// Recipient -> position, once the list is longer than `searchedInOrder`.
        var positions: [Int: Int]?
        static let searchedInOrder = 16

        mutating func update(to recipient: Int, _ update: (inout MessageAccounting) -> Void) {
            let position: Int
            if let positions {
                position = positions[recipient] ?? append(recipient)
            } else {
                position = recipients.firstIndex(of: recipient) ?? append(recipient)
            }
            update(&counts[position])
        }

        private mutating func append(_ recipient: Int) -> Int {
            recipients.append(recipient)
            counts.append(MessageAccounting())
            if positions != nil {
                positions![recipient] = recipients.count - 1
            } else if recipients.count > Self.searchedInOrder {
                positions = Dictionary(uniqueKeysWithValues: recipients.enumerated().map { ($1, $0) })
            }
            return recipients.count - 1
        }
    }

    public init() {}

    /// Updates the counts of the link `from` → `to`.
    @inline(__always)
    mutating func count(from: Int, to: Int, _ update: (inout MessageAccounting) -> Void) {
        if UInt(bitPattern: from) < UInt(bitPattern: width), UInt(bitPattern: to) < UInt(bitPattern: width) {
            update(&dense[from &* width &+ to])
        } else {
            countOutside(from: from, to: to, update)
        }
    }

    /// `count` for a link the array does not hold yet: widens it, or counts in `sparse`.
    @inline(never)
    private mutating func countOutside(from: Int, to: Int, _ update: (inout MessageAccounting) -> Void) {
        guard from >= 0, to >= 0, from < Self.denseLimit, to < Self.denseLimit else {
            if from >= 0, from < Self.senderLimit {
                if from >= bySender.count {
                    bySender += Array(repeating: SenderLinks(), count: from + 1 - bySender.count)
                }
                bySender[from].update(to: to, update)
            } else {
                update(&sparse[Pair(from: from, to: to), default: MessageAccounting()])
            }
            return
        }
        widen(toFit: max(from, to))
        update(&dense[from &* width &+ to])
    }

    /// Makes room for ids up to `id`, keeping the counts.
    private mutating func widen(toFit id: Int) {
        let newWidth = min(max(id + 1, 2 * width, 8), Self.denseLimit)
        var wider = [MessageAccounting](repeating: MessageAccounting(), count: newWidth * newWidth)
        for from in 0..<width {
            for to in 0..<width { wider[from * newWidth + to] = dense[from * width + to] }
        }
        (dense, width) = (wider, newWidth)
    }

    /// The links that carried (or were to carry) at least one message, by sender, then recipient.
    public var links: [Link] {
        var result: [Link] = []
        for (index, messages) in dense.enumerated() where messages != MessageAccounting() {
            result.append(Link(from: index / width, to: index % width, messages: messages))
        }
        for (from, links) in bySender.enumerated() {
            for (recipient, messages) in zip(links.recipients, links.counts) where messages != MessageAccounting() {
                result.append(Link(from: from, to: recipient, messages: messages))
            }
        }
        result += sparse.map { Link(from: $0.key.from, to: $0.key.to, messages: $0.value) }
        return result.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }

    /// The counts of all links added up.
    public var total: MessageAccounting {
        links.reduce(into: MessageAccounting()) { $0.add($1.messages) }
    }
}
