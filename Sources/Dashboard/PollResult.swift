/// What one poll of one VM brought back.
public enum PollResult: Sendable, Equatable {
    /// The VM answered: its status body, its id, and the log lines read after the cursor (each a
    /// JSON object, oldest first) with the cursor to continue from.
    case answered(status: [UInt8], vmID: Int, lines: [[UInt8]], logCursor: Int)
    /// It did not answer, or not as a VM does; the reason in words.
    case failed(String)
}
