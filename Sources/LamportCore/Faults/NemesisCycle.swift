/// What one cycle of a nemesis does: which links it cuts, or which VM it kills.
public struct NemesisCycle: Sendable, Equatable {
    /// 1 for the first cycle of a phase, 2 for the next, ...
    public var number: Int
    /// For each VM that must not send to some others, those others, ascending. Symmetric: `a`
    /// lists `b` exactly when `b` lists `a`, so each cut is a `partition` fault on both sides.
    /// Empty for `kill`.
    public var cuts: [Int: [Int]]
    /// The VM a `kill` cycle kills; nil for the partition kinds.
    public var victim: Int?
    /// The cycle in a few words: `[1, 3] | [2]`, `vm2 alone`, `[1] | [3] bridged by vm2`,
    /// `ring 3-1-4-2, each reaching 1 on either side`, `vm2`.
    public var summary: String

    public init(number: Int, cuts: [Int: [Int]], victim: Int?, summary: String) {
        self.number = number
        self.cuts = cuts
        self.victim = victim
        self.summary = summary
    }

    /// Whether `from` may send to `to` during this cycle.
    public func reaches(_ from: Int, _ to: Int) -> Bool {
        !(cuts[from]?.contains(to) ?? false)
    }
}
