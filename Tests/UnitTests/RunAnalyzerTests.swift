import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// `RunAnalyzer` on simulated runs: the checks pass, and every count it reports agrees with counts
/// taken here straight from the JSON lines.
@Suite struct RunAnalyzerTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var rates: [Double]
        var duration: Double
        var seed: UInt64

        var testDescription: String { "\(rates.count) VMs at \(rates) for \(Int(duration)) s" }
    }

    static let scenarios = [
        Scenario(rates: [2, 5, 9], duration: 600, seed: 1),
        Scenario(rates: [1, 2.5, 3, 5, 8], duration: 400, seed: 11),
    ]

    /// What the JSON lines of one VM say, counted without the analysis code.
    struct Counted {
        var internalEvents = 0
        var sendEvents = 0
        var receiveEvents = 0
        var messagesSent = 0
        var unprocessed = 0
        var finalClock = 0
        var maxQueue = 0
        var queueTotal = 0
        var tickRate: Double?
        var stopReason: String?
        /// Per receive: new clock - (previous clock + 1).
        var jumps: [Int] = []
        var lines = 0
        /// Clocks of the tick events.
        var tickClocks: [Int] = []

        init(path: String) throws {
            var clock = 0
            for text in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                let type = try #require(object["type"] as? String)
                let lineClock = try #require(object["clock"] as? Int)
                let queue = try #require(object["queue"] as? Int)
                lines += 1
                switch type {
                case "internal": internalEvents += 1
                case "send":
                    sendEvents += 1
                    messagesSent += (object["to"] as? [Int] ?? []).count - (object["dropped"] as? [Int] ?? []).count
                case "receive":
                    receiveEvents += 1
                    jumps.append(lineClock - clock - 1)
                case "unprocessed": unprocessed += 1
                case "start": tickRate = (object["tick_rate"] as? NSNumber)?.doubleValue
                case "stop": stopReason = object["reason"] as? String
                default: break
                }
                if ["internal", "send", "receive"].contains(type) {
                    queueTotal += queue
                    tickClocks.append(lineClock)
                }
                maxQueue = max(maxQueue, queue)
                clock = lineClock
            }
            finalClock = clock
        }

        var tickEvents: Int { internalEvents + sendEvents + receiveEvents }

        /// Nearest-rank percentile of the positive jumps.
        func percentile(_ fraction: Double) -> Int {
            let sorted = jumps.filter { $0 > 0 }.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted[max(1, Int((fraction * Double(sorted.count)).rounded(.up))) - 1]
        }
    }

    @Test("a simulated run passes every check and its numbers match the lines", arguments: scenarios)
    func simulatedRun(_ scenario: Scenario) throws {
        let folder = try TemporaryFolder()
        let written = try SimulatedRun.write(
            SimulatedCluster.Configuration(tickRates: scenario.rates, seed: scenario.seed),
            duration: scenario.duration, to: folder.path)
        let analysis = try RunAnalyzer.analyze(directory: folder.path)

        expectChecks(analysis.checks, failing: [])
        #expect(analysis.passed)
        #expect(analysis.checks.allSatisfy { $0.checked > 0 })
        #expect(analysis.vmIDs == Array(1...scenario.rates.count))
        #expect(analysis.lines == written)
        #expect(analysis.crashedVMs.isEmpty)
        #expect(analysis.durationSeconds == scenario.duration)

        let counted = try analysis.vmIDs.map { try Counted(path: folder.file("vm\($0).jsonl")) }
        #expect(counted.reduce(0) { $0 + $1.lines } == written)
        let accounting = analysis.accounting
        #expect(accounting.unaccounted == 0)
        #expect(accounting.lostToCrash == 0)
        #expect(accounting.dropped == 0)
        #expect(accounting.sent == counted.reduce(0) { $0 + $1.messagesSent })
        #expect(accounting.received == counted.reduce(0) { $0 + $1.receiveEvents })
        #expect(accounting.unprocessed == counted.reduce(0) { $0 + $1.unprocessed })
        #expect(accounting.sent == accounting.received + accounting.unprocessed)
        #expect(accounting.received > 100)

        for (index, summary) in analysis.summaries.enumerated() {
            let mine = counted[index]
            let vm = index + 1
            #expect(summary.vm == vm)
            #expect(summary.internalEvents == mine.internalEvents, "vm\(vm)")
            #expect(summary.sendEvents == mine.sendEvents, "vm\(vm)")
            #expect(summary.receiveEvents == mine.receiveEvents, "vm\(vm)")
            #expect(summary.messagesSent == mine.messagesSent, "vm\(vm)")
            #expect(summary.messagesDropped == 0, "vm\(vm)")
            #expect(summary.unprocessed == mine.unprocessed, "vm\(vm)")
            #expect(summary.finalClock == mine.finalClock, "vm\(vm)")
            #expect(summary.maxQueue == mine.maxQueue, "vm\(vm)")
            #expect(summary.queueTotal == mine.queueTotal, "vm\(vm)")
            #expect(summary.configuredTickRate == scenario.rates[index], "vm\(vm)")
            #expect(mine.tickRate == scenario.rates[index], "vm\(vm)")
            #expect(summary.stopReason == "run_time" && mine.stopReason == "run_time", "vm\(vm)")
            // Tick k is due at k / rate: floor(rate * duration) + 1 ticks.
            #expect(summary.tickEvents == Int(scenario.rates[index] * scenario.duration) + 1, "vm\(vm)")
            let measured = try #require(summary.measuredTickRate)
            #expect(abs(measured - scenario.rates[index]) <= 0.001 * scenario.rates[index], "vm\(vm): \(measured)")

            // The jump histogram against the receives counted here.
            let jumps = summary.jumps
            let positive = mine.jumps.filter { $0 > 0 }
            #expect(jumps.receives == mine.receiveEvents, "vm\(vm)")
            #expect(jumps.jumps == positive.count, "vm\(vm)")
            #expect(jumps.largest == (mine.jumps.max() ?? 0), "vm\(vm)")
            #expect(summary.maxJump == jumps.largest)
            #expect(jumps.counts.values.reduce(0, +) == positive.count)
            if !positive.isEmpty {
                let mean = Double(positive.reduce(0, +)) / Double(positive.count)
                #expect(abs(jumps.mean - mean) < 1e-9, "vm\(vm)")
            }
            for fraction in [0.5, 0.9, 0.99, 1] {
                #expect(jumps.percentile(fraction) == mine.percentile(fraction), "vm\(vm) p\(fraction)")
            }
            #expect(mine.jumps.allSatisfy { $0 >= 0 }, "a receive never moves the clock back")
        }
        // The fast VMs send to the slow ones, whose clocks must jump.
        #expect(analysis.summaries[0].jumps.jumps > 0)

        // One rate phase per VM, at its configured rate, measured within 1%.
        #expect(analysis.phases.map(\.vm) == analysis.vmIDs)
        #expect(analysis.phases.map(\.configuredRate) == scenario.rates)
        #expect(analysis.phases.allSatisfy { $0.isCheckable && $0.isWithin(RunAnalyzer.rateTolerance) })
        let rateCheck = try #require(analysis.checks.last)
        #expect(rateCheck.checked == scenario.rates.count)

        let concurrency = analysis.concurrency
        let events = counted.reduce(0) { $0 + $1.tickEvents }
        #expect(concurrency.events == events)
        expectConsistent(concurrency)
        #expect(concurrency.causalPairs > 0 && concurrency.concurrentPairs > 0)
        let ties = Self.tiedPairs(counted.flatMap(\.tickClocks))
        #expect(ties > 0)
        #expect(concurrency.tiedPairs == ties)
        #expect(concurrency.lamportOrderedPairs == events * (events - 1) / 2 - ties)
    }

    /// The relations between the pair counts that hold for every run.
    func expectConsistent(_ stats: ConcurrencyStats, sourceLocation: SourceLocation = #_sourceLocation) {
        let pairs = stats.events * (stats.events - 1) / 2
        #expect(stats.causalPairs + stats.concurrentPairs == pairs, sourceLocation: sourceLocation)
        #expect(
            stats.lamportOrderedPairs == stats.causalPairs + stats.orderedButConcurrentPairs,
            sourceLocation: sourceLocation)
        #expect(stats.causalPairs >= 0 && stats.concurrentPairs >= 0, sourceLocation: sourceLocation)
        #expect(stats.tiedPairs >= 0, sourceLocation: sourceLocation)
        #expect(stats.orderedButConcurrentPairs <= stats.concurrentPairs, sourceLocation: sourceLocation)
    }

    /// Pairs of tick events with equal clocks, counted from the clocks of the lines.
    static func tiedPairs(_ clocks: [Int]) -> Int {
        Dictionary(grouping: clocks, by: { $0 }).values.reduce(0) { $0 + $1.count * ($1.count - 1) / 2 }
    }

    @Test("concurrency statistics of the hand-made run equal the numbers worked out pair by pair")
    func handMadeConcurrency() throws {
        let folder = try TemporaryFolder()
        let logs = HandMadeRun.logs
        try logs.write(to: folder.path)
        let analysis = try RunAnalyzer.analyze(directory: folder.path)
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.accounting == MessageAccounting(sent: 5, received: 5))

        // The vectors rebuilt here (causal order) are the ones worked out by hand.
        let brute = try BruteForceCausality(records: try logs.allRecords())
        #expect(
            Set(brute.events.map { "\($0.vm):\($0.vector)" })
                == Set(HandMadeRun.vectors.map { "\($0.vm):\($0.vector)" }))
        let pairs = brute.pairCounts()
        // Worked out by hand: 13 events, 78 pairs; clocks 1, 2, 3 and 4 each on 3 events (12 ties);
        // causal pairs = sum over events of (sum of the vector - 1) = 38.
        #expect(pairs.causal == 38)
        #expect(pairs.concurrent == 40)
        #expect(pairs.lamportOrdered == 66)
        #expect(pairs.orderedButConcurrent == 28)
        #expect(pairs.tied == 12)

        let stats = analysis.concurrency
        #expect(stats.events == 13)
        #expect(stats.causalPairs == pairs.causal)
        #expect(stats.concurrentPairs == pairs.concurrent)
        #expect(stats.lamportOrderedPairs == pairs.lamportOrdered)
        #expect(stats.orderedButConcurrentPairs == pairs.orderedButConcurrent)
        #expect(stats.tiedPairs == pairs.tied)
        expectConsistent(stats)
    }

    @Test("concurrency statistics of a small simulated run equal a brute-force count over every pair")
    func simulatedConcurrencyByBruteForce() throws {
        let folder = try TemporaryFolder()
        try SimulatedRun.write(
            SimulatedCluster.Configuration(tickRates: [2, 5, 9], seed: 4), duration: 30, to: folder.path)
        let analysis = try RunAnalyzer.analyze(directory: folder.path)
        let brute = try BruteForceCausality(records: try RunLogs.read(folder.path).allRecords())
        let pairs = brute.pairCounts()
        let stats = analysis.concurrency
        #expect(stats.events == brute.events.count)
        #expect(stats.events == 61 + 151 + 271)  // rate x 30 s + 1 per VM
        #expect(stats.causalPairs == pairs.causal)
        #expect(stats.concurrentPairs == pairs.concurrent)
        #expect(stats.lamportOrderedPairs == pairs.lamportOrdered)
        #expect(stats.orderedButConcurrentPairs == pairs.orderedButConcurrent)
        #expect(stats.tiedPairs == pairs.tied)
        #expect(pairs.tied == Self.tiedPairs(brute.events.map(\.clock)))
        #expect(pairs.causal > 0 && pairs.orderedButConcurrent > 0 && pairs.tied > 0)
        expectConsistent(stats)
    }
}
