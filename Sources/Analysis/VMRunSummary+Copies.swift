/// A VM's message counts under the names the run's counts use (`MessageAccounting`, see
/// docs/summary.md): copies it addressed as a sender, and originals it logged as a recipient
/// (the extra copies of a duplicate fault are only in `duplicatesReceived`).
extension VMRunSummary {
    /// Copies its `send` lines addressed (one per recipient), dropped ones included.
    public var copiesAddressed: Int { messagesSent + messagesDropped }
    /// Originals it received (`receive` lines without `"duplicate": true`).
    public var copiesReceived: Int { receiveEvents - duplicateReceives }
    /// Originals still queued at its clean stop (`unprocessed` lines without `"duplicate": true`).
    public var copiesUnprocessedAtStop: Int { unprocessed - (duplicatesReceived - duplicateReceives) }
}
