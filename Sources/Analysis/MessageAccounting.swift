/// Where the messages of a run went. A message to k recipients counts k times (each count is of
/// copies, one per recipient). In `summary.json` the keys say so: `copies_addressed` (`sent`
/// here: every copy a `send` line addressed, dropped ones included), `copies_sent` (addressed
/// and not dropped), `copies_dropped`, `copies_received`, `copies_unprocessed_at_stop`,
/// `copies_lost_to_fault`, `copies_lost_to_crash`, `copies_lost_with_link`,
/// `copies_unaccounted` and `duplicate_copies` (see docs/summary.md).
public struct MessageAccounting: Sendable, Equatable {
    /// Every copy a `send` line addressed (one per recipient), dropped ones included.
    public var sent = 0
    public var received = 0
    public var unprocessed = 0
    public var dropped = 0
    /// Never logged by its recipient, and a run of the recipient that ended in a crash (no `stop`
    /// line) may have held it (queued, in flight, or taken by a receive whose line was lost), or
    /// its sender crashed right after logging it, before writing it out.
    public var lostToCrash = 0
    /// Never logged by its recipient, and the connection it was sent on broke after it was sent
    /// (its sender logged a `peer_down` for the recipient that is not a clean stop) with no later
    /// message of that connection logged by the recipient: written into a link that was already
    /// dead (a cut network, a vanished host) and lost with it.
    public var lostWithLink = 0
    /// Destroyed by a `loss` fault at its sender (the recipient is in the `send` line's `lost`).
    public var lostToFault = 0
    /// Extra copies made by a `duplicate` fault and logged by the recipient with `"duplicate": true`
    /// (receive or unprocessed). Not counted in `sent` nor in `received`/`unprocessed`.
    public var duplicated = 0
    /// Sent, recipient did not crash, and still no receive or unprocessed line: a failure.
    public var unaccounted = 0

    /// Copies addressed and not dropped: handed to a connected peer's link (those a loss fault
    /// destroyed included), as a VM's `messagesSent` counts them.
    public var sentToPeers: Int { sent - dropped }

    /// Adds `other`'s counts to these.
    public mutating func add(_ other: MessageAccounting) {
        sent += other.sent
        received += other.received
        unprocessed += other.unprocessed
        dropped += other.dropped
        lostToCrash += other.lostToCrash
        lostWithLink += other.lostWithLink
        lostToFault += other.lostToFault
        duplicated += other.duplicated
        unaccounted += other.unaccounted
    }

    /// Whether every copy sent has its fate: received + unprocessed + dropped + lost to a fault +
    /// lost to a crash + lost with a link + unaccounted = sent (duplicates are extra copies,
    /// apart from these).
    public var closes: Bool {
        received + unprocessed + dropped + lostToFault + lostToCrash + lostWithLink + unaccounted == sent
    }
}

extension MessageAccounting: Codable {
    /// The `summary.json` keys (see docs/summary.md); `copies_sent` is written too, never read.
    private enum CodingKeys: String, CodingKey {
        case sent = "copies_addressed"
        case received = "copies_received"
        case unprocessed = "copies_unprocessed_at_stop"
        case dropped = "copies_dropped"
        case lostToCrash = "copies_lost_to_crash"
        case lostWithLink = "copies_lost_with_link"
        case lostToFault = "copies_lost_to_fault"
        case duplicated = "duplicate_copies"
        case unaccounted = "copies_unaccounted"
        case sentToPeers = "copies_sent"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sent = try container.decode(Int.self, forKey: .sent)
        received = try container.decode(Int.self, forKey: .received)
        unprocessed = try container.decode(Int.self, forKey: .unprocessed)
        dropped = try container.decode(Int.self, forKey: .dropped)
        lostToCrash = try container.decode(Int.self, forKey: .lostToCrash)
        lostWithLink = try container.decode(Int.self, forKey: .lostWithLink)
        lostToFault = try container.decode(Int.self, forKey: .lostToFault)
        duplicated = try container.decode(Int.self, forKey: .duplicated)
        unaccounted = try container.decode(Int.self, forKey: .unaccounted)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sent, forKey: .sent)
        try container.encode(sentToPeers, forKey: .sentToPeers)
        try container.encode(received, forKey: .received)
        try container.encode(unprocessed, forKey: .unprocessed)
        try container.encode(dropped, forKey: .dropped)
        try container.encode(lostToCrash, forKey: .lostToCrash)
        try container.encode(lostWithLink, forKey: .lostWithLink)
        try container.encode(lostToFault, forKey: .lostToFault)
        try container.encode(duplicated, forKey: .duplicated)
        try container.encode(unaccounted, forKey: .unaccounted)
    }
}
