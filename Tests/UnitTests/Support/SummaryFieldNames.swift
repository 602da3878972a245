/// The message-count keys of `summary.json`, as docs/summary.md documents them: the same names at
/// run (`messages`), link (`links[]`) and VM (`vms[].outgoing`, `vms[].incoming`) level.
enum SummaryFieldNames {
    static let messageKeys: Set<String> = [
        "copies_addressed", "copies_sent", "copies_dropped", "copies_received", "copies_unprocessed_at_stop",
        "copies_lost_to_fault", "copies_lost_to_crash", "copies_lost_with_link", "copies_unaccounted",
        "duplicate_copies",
    ]
    static let outgoingKeys: Set<String> = [
        "copies_addressed", "copies_sent", "copies_dropped", "copies_lost_to_fault",
    ]
    static let incomingKeys: Set<String> = ["copies_received", "copies_unprocessed_at_stop", "duplicate_copies"]
}
