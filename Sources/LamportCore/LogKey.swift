/// The keys of event-log lines (docs/log-format.md), named once: the core writes its lifecycle
/// fields with them, the event-log writer and the readers and scanners of the EventLog target use
/// the same names, so a key cannot be spelt two ways. `EventKind` is the same for the `type`
/// values.
///
/// Lines may carry keys outside this list (the format allows extra keys); readers skip them.
public enum LogKey: String, Sendable, CaseIterable {
    // Every line, in this order.
    case seq, vm, type, clock, time, queue
    // Send, receive and unprocessed lines.
    case to, dropped, from
    case sendSeq = "send_seq"
    case msgClock = "msg_clock"
    // Lifecycle lines.
    case peer, reason, address, seed, port, peers
    case tickRate = "tick_rate"
    case maxAction = "max_action"
    case paused
    case totalVMs = "total_vms"
    case resumedAfterSeq = "resumed_after_seq"
    case topology
    // Faults: the `lost` recipients of a `send`, a `duplicate` receive, `fault` and `heal` lines.
    case lost, duplicate, id, kind, ms
    case jitterMs = "jitter_ms"
    case distribution, probability
    case durationS = "duration_s"
}
