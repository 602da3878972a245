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
