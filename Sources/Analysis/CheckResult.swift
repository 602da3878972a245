/// The outcome of one check over a run's logs.
public struct CheckResult: Sendable, Equatable, Codable {
    /// A stable identifier, e.g. `seq_without_gaps`.
    public var name: String
    /// What the check asserts, for people.
    public var summary: String
    /// How many items (lines, messages) were checked.
    public var checked: Int
    public var failed: Int
    /// The first few failures, described.
    public var examples: [String]

    public var passed: Bool { failed == 0 }

    init(name: String, summary: String) {
        self.name = name
        self.summary = summary
        self.checked = 0
        self.failed = 0
        self.examples = []
    }

    mutating func pass() {
        checked += 1
    }

    mutating func fail(_ example: @autoclosure () -> String) {
        checked += 1
        failed += 1
        if examples.count < 5 { examples.append(example()) }
    }

    mutating func check(_ condition: Bool, _ example: @autoclosure () -> String) {
        if condition { pass() } else { fail(example()) }
    }
}

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
    /// Destroyed by a `loss` fault at its sender (the recipient is in the `send` line's `lost`).
    public var lostToFault = 0
    /// Extra copies made by a `duplicate` fault and logged by the recipient with `"duplicate": true`
    /// (receive or unprocessed). Not counted in `sent` nor in `received`/`unprocessed`.
    public var duplicated = 0
    /// Sent, recipient did not crash, and still no receive or unprocessed line: a failure.
    public var unaccounted = 0
}
