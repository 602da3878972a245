/// A message of a run: the id of its sender and the seq of its `send` line.
struct MessageKey: Hashable, Sendable {
    var from: Int
    var sendSeq: Int

    /// A 64-bit mix of both fields (Fibonacci hashing: the high bits are the well-mixed ones).
    @inline(__always)
    var mixed: UInt64 {
        (UInt64(truncatingIfNeeded: from) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: sendSeq))
            &* 0xD6E8_FEB8_6659_FD93
    }

    /// One word into the hasher instead of two (used where a `Dictionary` holds these keys).
    func hash(into hasher: inout Hasher) {
        hasher.combine(mixed)
    }
}
