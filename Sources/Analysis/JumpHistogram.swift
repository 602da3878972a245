/// Sizes of one VM's clock jumps: on a receive, how far the clock moved beyond the usual +1
/// (`new clock - (old clock + 1)`). Kept as exact counts per size, so percentiles are exact and
/// memory grows only with the number of distinct sizes.
public struct JumpHistogram: Sendable, Equatable, Codable {
    public private(set) var counts: [Int: Int] = [:]
    /// Receives, jumping or not.
    public private(set) var receives = 0

    public init() {}

    /// Counts one receive whose clock jumped by `jump` (`new clock - old clock - 1`); 0 or less
    /// counts as a receive without a jump. Call it for every receive, jumping or not: `receives`
    /// is the denominator of the jump share.
    public mutating func add(_ jump: Int) {
        receives += 1
        if jump > 0 { counts[jump, default: 0] += 1 }
    }

    /// Receives whose clock jumped (size > 0).
    public var jumps: Int { counts.values.reduce(0, +) }
    public var largest: Int { counts.keys.max() ?? 0 }

    /// Mean size of the jumps (receives without a jump left out); 0 when there were none.
    public var mean: Double {
        let total = counts.reduce(0) { $0 + $1.key * $1.value }
        return jumps == 0 ? 0 : Double(total) / Double(jumps)
    }

    /// The smallest size with at least `fraction` of the jumps at or below it (nearest rank).
    public func percentile(_ fraction: Double) -> Int {
        let count = jumps
        guard count > 0 else { return 0 }
        let rank = max(1, Int((fraction * Double(count)).rounded(.up)))
        var seen = 0
        for size in counts.keys.sorted() {
            seen += counts[size]!
            if seen >= rank { return size }
        }
        return largest
    }

    /// Counts in buckets with the given upper bounds (inclusive); the last bucket takes the rest.
    public func bucketed(upperBounds: [Int]) -> [Int] {
        var result = Array(repeating: 0, count: upperBounds.count + 1)
        for (size, count) in counts {
            let index = upperBounds.firstIndex { size <= $0 } ?? upperBounds.count
            result[index] += count
        }
        return result
    }
}

extension JumpHistogram {
    /// Adds `other`'s receives and jumps to these (a group's histogram from its VMs').
    public mutating func merge(_ other: JumpHistogram) {
        receives += other.receives
        counts.merge(other.counts, uniquingKeysWith: +)
    }
}
