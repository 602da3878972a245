import Foundation
import Testing

@testable import Analysis
@testable import EventLog
@testable import LamportCore
@testable import Orchestration

/// Above the vector-clock memory budget the causal pair count is estimated from sampled probe
/// events; on runs small enough for both, the estimate's 95% interval holds the exact count and
/// every other figure stays exact.
@Suite struct CausalPairEstimateTests {
    /// A run of 12 VMs on a random 3-regular graph at 1 to 6 ticks per second.
    static func run(seed: UInt64, seconds: Double = 60) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let configuration = SimulatedCluster.Configuration(
            tickRates: (0..<12).map { Double(1 + $0 % 6) }, topology: .random(neighbours: 3), seed: seed)
        try SimulatedRun.write(configuration, duration: seconds, to: folder.path)
        return folder
    }

    /// Options that force the estimate (no room for exact vectors).
    static func estimating(probes: Int) -> CausalityOptions {
        CausalityOptions(vectorMemoryBudget: 0, targetProbes: probes)
    }

    @Test("the estimate's 95% interval holds the exact causal pair count", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func intervalHoldsTheExactCount(seed: UInt64) throws {
        let folder = try Self.run(seed: seed)
        let exact = try RunAnalyzer.analyze(directory: folder.path).concurrency
        let estimate = try RunAnalyzer.analyze(directory: folder.path, causality: Self.estimating(probes: 300))
            .concurrency
        #expect(!exact.estimated && exact.causalPairsCi95 == nil)
        #expect(estimate.estimated)
        let interval = try #require(estimate.causalPairsCi95)
        #expect(interval[0] <= exact.causalPairs && exact.causalPairs <= interval[1])
        #expect(interval[0] <= estimate.causalPairs && estimate.causalPairs <= interval[1])
        // A real sample: an interval of some width from a few hundred probes, not every event.
        #expect(interval[0] < interval[1])
        let probes = try #require(estimate.probes)
        #expect(probes > 150 && probes < 600 && probes < exact.events / 4)
        // The derived intervals follow from the causal one; what needs no causality stays exact.
        let pairs = exact.events * (exact.events - 1) / 2
        #expect(estimate.concurrentPairsCi95 == [pairs - interval[1], pairs - interval[0]])
        let concurrent = try #require(estimate.concurrentPairsCi95)
        #expect(concurrent[0] <= exact.concurrentPairs && exact.concurrentPairs <= concurrent[1])
        let ordered = try #require(estimate.orderedButConcurrentPairsCi95)
        #expect(ordered[0] <= exact.orderedButConcurrentPairs && exact.orderedButConcurrentPairs <= ordered[1])
        #expect(estimate.events == exact.events)
        #expect(estimate.tiedPairs == exact.tiedPairs)
        #expect(estimate.lamportOrderedPairs == exact.lamportOrderedPairs)
    }

    @Test("with every event a probe the estimate is the exact count, with an interval of width 0")
    func everyEventAProbe() throws {
        let folder = try Self.run(seed: 7, seconds: 20)
        let exact = try RunAnalyzer.analyze(directory: folder.path).concurrency
        let estimate = try RunAnalyzer.analyze(
            directory: folder.path, causality: Self.estimating(probes: 1_000_000)
        ).concurrency
        #expect(estimate.estimated && estimate.probeProbability == 1)
        #expect(estimate.probes == exact.events)
        #expect(estimate.causalPairs == exact.causalPairs)
        #expect(estimate.causalPairsCi95 == [exact.causalPairs, exact.causalPairs])
    }

    @Test("the same logs give the same estimate (probes are drawn from the events, not a clock)")
    func estimateIsReproducible() throws {
        let folder = try Self.run(seed: 3, seconds: 30)
        let first = try RunAnalyzer.analyze(directory: folder.path, causality: Self.estimating(probes: 100))
        let second = try RunAnalyzer.analyze(directory: folder.path, causality: Self.estimating(probes: 100))
        #expect(first.concurrency == second.concurrency)
    }

    @Test("summary.json says the counts are estimated and gives the intervals; exact runs say estimated false")
    func summaryFields() throws {
        let folder = try Self.run(seed: 2, seconds: 20)
        for (options, estimated) in [(CausalityOptions.standard, false), (Self.estimating(probes: 100), true)] {
            let analysis = try RunAnalyzer.analyze(directory: folder.path, causality: options)
            try AnalysisReport.write(analysis, to: folder.path)
            let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json")))
            let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
            let concurrency = try #require(json["concurrency"] as? [String: Any])
            #expect(concurrency["estimated"] as? Bool == estimated)
            #expect((concurrency["causal_pairs_ci95"] as? [Int])?.count == (estimated ? 2 : nil))
            #expect((concurrency["concurrent_pairs_ci95"] as? [Int])?.count == (estimated ? 2 : nil))
            #expect((concurrency["ordered_but_concurrent_pairs_ci95"] as? [Int])?.count == (estimated ? 2 : nil))
            #expect((concurrency["probes"] as? Int != nil) == estimated)
            let report = try String(contentsOfFile: folder.file("report.md"), encoding: .utf8)
            #expect(report.contains("are estimates") == estimated)
        }
    }

    @Test("--shiviz above the budget is refused with one line naming it, and leaves no file")
    func shivizRefused() throws {
        let folder = try Self.run(seed: 1, seconds: 5)
        let path = folder.file("shiviz.log")
        let writer = try ShiVizWriter(path: path)
        #expect {
            _ = try RunAnalyzer.analyze(directory: folder.path, shiviz: writer, causality: Self.estimating(probes: 10))
        } throws: { error in
            guard let error = error as? LogParseError else { return false }
            return error.message.contains("--shiviz") && !error.message.contains("\n")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
