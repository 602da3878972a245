import EventLog

/// Counts tick events per Lamport clock value as the lines go by (in any order), for the pairs
/// with equal clocks: the sum over clock values c of (events with clock c)^2. Memory is one
/// counter per clock value up to the largest clock (clocks are at most the number of events);
/// a clock beyond `denseLimit` (only a broken log has one) is counted in a dictionary instead.
struct ClockTieCounter: Sendable {
    static let denseLimit = 1 << 26
    private var counts: [Int] = []
    private var sparse: [Int: Int] = [:]

    @inline(__always)
    mutating func add(clock: Int) {
        guard clock >= 0, clock < Self.denseLimit else {
            sparse[clock, default: 0] += 1
            return
        }
        if clock >= counts.count {
            counts += Array(repeating: 0, count: max(clock + 1, counts.count * 2) - counts.count)
        }
        counts[clock] += 1
    }

    /// The sum over clock values of the squared number of tick events with that clock.
    var sumOfSquaredTies: Int {
        counts.reduce(0) { $0 + $1 * $1 } + sparse.values.reduce(0) { $0 + $1 * $1 }
    }
}
