import EventLog
import LamportCore

/// How the Lamport order compares with the real causality (the vector clocks) over all pairs of
/// tick events of a run.
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

    /// - Parameters:
    ///   - sumOfSquaredTies: the sum over clock values c of (events with clock c)^2.
    public init(events: Int, causalPairs: Int, sumOfSquaredTies: Int) {
        self.events = events
        self.causalPairs = causalPairs
        concurrentPairs = events * (events - 1) / 2 - causalPairs
        lamportOrderedPairs = (events * events - sumOfSquaredTies) / 2
        orderedButConcurrentPairs = lamportOrderedPairs - causalPairs
        tiedPairs = (sumOfSquaredTies - events) / 2
    }

    /// Share of concurrent pairs the Lamport order puts in order anyway (0 with no concurrency).
    public var orderedButConcurrentShare: Double {
        concurrentPairs == 0 ? 0 : Double(orderedButConcurrentPairs) / Double(concurrentPairs)
    }

    /// Sum over clock values of the squared number of tick events with that clock, from a
    /// second pass over the logs that merges them by clock (each VM's tick clocks rise strictly),
    /// so memory stays flat. Only the `type` and `clock` of each line are read.
    public static func sumOfSquaredTies(logFiles: [String]) throws(LogParseError) -> Int {
        let streams = try logFiles.map { path throws(LogParseError) in try TickClockStream(path: path) }
        var heads: [Int?] = []
        for stream in streams { heads.append(try stream.next()) }
        var total = 0
        while let smallest = heads.compactMap({ $0 }).min() {
            var count = 0
            for index in heads.indices where heads[index] == smallest {
                count += 1
                heads[index] = try streams[index].next()
            }
            total += count * count
        }
        return total
    }
}

/// The clocks of one log's tick events, in the order of the log.
private final class TickClockStream {
    private let reader: LogFileReader

    init(path: String) throws(LogParseError) {
        reader = try LogFileReader(path: path)
    }

    func next() throws(LogParseError) -> Int? {
        reader.nextTickClock()
    }
}
