import EventLog
import Foundation
import LamportCore

/// How the Lamport order compares with the real causality (the vector clocks) over all pairs of
/// tick events of a run.
///
/// The counts are exact when the run's vector clocks fit in the analysis's memory budget. Above
/// it `estimated` is true: `causalPairs` is then an unbiased estimate from sampled probe events
/// (`CausalPastSampler`), the pair counts derived from it carry its 95% confidence interval in the
/// `..._ci95` fields, and `events`, `lamportOrderedPairs` and `tiedPairs` stay exact.
public struct ConcurrencyStats: Sendable, Equatable, Codable {
    /// Tick events in the run.
    public var events: Int
    /// Pairs (a, b) with a happened-before b.
    public var causalPairs: Int
    /// Pairs that are concurrent (neither happened before the other).
    public var concurrentPairs: Int
    /// Pairs with different Lamport clocks, which the Lamport order therefore puts in order.
    public var lamportOrderedPairs: Int
    /// Pairs the Lamport order puts in order although they are concurrent: an order the clocks
    /// suggest but causality does not give.
    public var orderedButConcurrentPairs: Int
    /// Pairs with equal Lamport clocks (always concurrent; only a tie-break by id orders them).
    public var tiedPairs: Int
    /// Whether the causal, concurrent and ordered-but-concurrent pair counts are estimates.
    public var estimated: Bool
    /// For an estimate: the 95% confidence intervals [low, high] of the three estimated counts.
    public var causalPairsCi95: [Int]?
    public var concurrentPairsCi95: [Int]?
    public var orderedButConcurrentPairsCi95: [Int]?
    /// For an estimate: how many probe events were sampled, and the chance each event had.
    public var probes: Int?
    public var probeProbability: Double?

    /// Exact counts.
    /// - Parameters:
    ///   - sumOfSquaredTies: the sum over clock values c of (events with clock c)^2.
    public init(events: Int, causalPairs: Int, sumOfSquaredTies: Int) {
        self.events = events
        self.causalPairs = causalPairs
        concurrentPairs = events * (events - 1) / 2 - causalPairs
        lamportOrderedPairs = (events * events - sumOfSquaredTies) / 2
        orderedButConcurrentPairs = lamportOrderedPairs - causalPairs
        tiedPairs = (sumOfSquaredTies - events) / 2
        estimated = false
    }

    /// Counts with the causal pairs estimated (the others follow from it and carry its interval).
    public init(events: Int, estimate: CausalPairEstimate, sumOfSquaredTies: Int) {
        self.init(events: events, causalPairs: estimate.value, sumOfSquaredTies: sumOfSquaredTies)
        estimated = true
        let pairs = events * (events - 1) / 2
        let low = estimate.low
        let high = estimate.high
        causalPairsCi95 = [low, high]
        concurrentPairsCi95 = [pairs - high, pairs - low]
        orderedButConcurrentPairsCi95 = [
            max(0, lamportOrderedPairs - high), max(0, lamportOrderedPairs - low),
        ]
        probes = estimate.probes
        probeProbability = estimate.probability
    }

    /// Share of concurrent pairs the Lamport order puts in order anyway (0 with no concurrency).
    public var orderedButConcurrentShare: Double {
        concurrentPairs == 0 ? 0 : Double(orderedButConcurrentPairs) / Double(concurrentPairs)
    }

    /// One sentence on how the counts were made: exact, or estimated (with the sample).
    public var methodSentence: String {
        guard estimated, let probes, let probeProbability, let interval = causalPairsCi95 else {
            return "The pair counts are exact (a full vector clock per event)."
        }
        return "The causal, concurrent and ordered-but-concurrent pair counts are estimates: "
            + "the run's vector clocks do not fit in memory, so \(probes) probe events "
            + "(each tick event with chance \(String(format: "%.3g", probeProbability))) were traced "
            + "along happened-before and their futures scaled up; 95% confidence interval of the "
            + "causal pairs: \(interval[0]) to \(interval[1])."
    }
}
