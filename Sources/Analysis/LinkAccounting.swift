/// Where the messages of each directed link (sender → recipient) went: `MessageAccounting` broken
/// down by link, so that the counts of all links add up to the run's.
///
/// Counting is a hot path (every message of a run passes here), so links between ids below
/// `denseLimit` (VM ids are 1...TOTAL_VMS) live in arrays indexed [from][to], grown on first sight
/// of an id; any other pair (only a broken log names one) is kept in a dictionary.
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
    static let denseLimit = 4096

    private var dense: [[MessageAccounting]] = []
    private var sparse: [Pair: MessageAccounting] = [:]

    public init() {}

    /// Updates the counts of the link `from` → `to`.
    @inline(__always)
    mutating func count(from: Int, to: Int, _ update: (inout MessageAccounting) -> Void) {
        guard from >= 0, to >= 0, from < Self.denseLimit, to < Self.denseLimit else {
            update(&sparse[Pair(from: from, to: to), default: MessageAccounting()])
            return
        }
        if from >= dense.count { dense += Array(repeating: [], count: from - dense.count + 1) }
        if to >= dense[from].count {
            dense[from] += Array(repeating: MessageAccounting(), count: to - dense[from].count + 1)
        }
        update(&dense[from][to])
    }

    /// The links that carried (or were to carry) at least one message, by sender, then recipient.
    public var links: [Link] {
        var result: [Link] = []
        for (from, row) in dense.enumerated() {
            for (to, messages) in row.enumerated() where messages != MessageAccounting() {
                result.append(Link(from: from, to: to, messages: messages))
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
