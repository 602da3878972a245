/// Where the messages of a run went. A message to k recipients counts k times.
public struct MessageAccounting: Sendable, Equatable, Codable {
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
