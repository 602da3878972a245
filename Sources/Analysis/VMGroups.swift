/// The VMs of a run in groups by configured tick rate, for reports of many VMs: above
/// `threshold` VMs the per-VM tables and plots show one row or band per group instead of one per
/// VM. A group is the VMs whose configured rate rounds to the same whole number per second; when
/// there would be more than `maxGroups` such rates, neighbouring rates are merged into bands of
/// about equal numbers of VMs. VMs whose rate changed during the run, ran unthrottled (`max`) or
/// logged no rate get a group each (`varied`, `max`, `unknown`), after the numeric ones.
public struct VMGroups: Sendable {
    /// Per-VM tables and lines up to this many VMs; groups above.
    public static let threshold = 32
    /// At most this many numeric rate groups (so each gets a palette color of its own).
    public static let maxGroups = 6

    public struct Group: Sendable, Equatable {
        /// "3/s", "1-2/s", "varied", "max" or "unknown".
        public var label: String
        /// Indices into the run's `summaries` (and `vmIDs`), ascending.
        public var members: [Int]
    }

    public private(set) var groups: [Group] = []

    /// Groups `summaries` by configured tick rate (all of them, whatever their number).
    public init(_ summaries: [VMRunSummary]) {
        var numeric: [Int: [Int]] = [:]
        var special: [String: [Int]] = [:]
        for (index, summary) in summaries.enumerated() {
            if summary.tickRateChanged {
                special["varied", default: []].append(index)
            } else if let rate = summary.configuredTickRate {
                if rate.isFinite {
                    numeric[Int(rate.rounded()), default: []].append(index)
                } else {
                    special["max", default: []].append(index)
                }
            } else {
                special["unknown", default: []].append(index)
            }
        }
        groups = Self.bands(numeric)
        for label in ["varied", "max", "unknown"] {
            if let members = special[label] { groups.append(Group(label: label, members: members)) }
        }
    }

    /// Whether a run of `vmCount` VMs is reported by group.
    public static func isGrouped(vmCount: Int) -> Bool { vmCount > threshold }

    /// One group per rounded rate, or up to `maxGroups` bands of neighbouring rates.
    private static func bands(_ byRate: [Int: [Int]]) -> [Group] {
        let rates = byRate.keys.sorted()
        guard rates.count > maxGroups else {
            return rates.map { Group(label: "\($0)/s", members: byRate[$0]!) }
        }
        let total = byRate.values.reduce(0) { $0 + $1.count }
        var result: [Group] = []
        var current: [Int] = []
        var first = rates[0]
        var taken = 0
        for (position, rate) in rates.enumerated() {
            current += byRate[rate]!
            taken += byRate[rate]!.count
            let bandsLeft = maxGroups - result.count - 1
            let ratesLeft = rates.count - position - 1
            let share = Double(taken) / Double(total) * Double(maxGroups)
            if ratesLeft == 0 || (bandsLeft > 0 && (share >= Double(result.count + 1) || ratesLeft <= bandsLeft)) {
                let label = first == rate ? "\(rate)/s" : "\(first)-\(rate)/s"
                result.append(Group(label: label, members: current.sorted()))
                current = []
                if ratesLeft > 0 { first = rates[position + 1] }
            }
        }
        return result
    }
}
