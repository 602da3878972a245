import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// What the analyzer keeps does not grow with the log: a run 10 times longer leaves structures of
/// the same size. (Sizes of the kept structures, not RSS, which is too noisy to assert on.)
@Suite struct AnalysisMemoryTests {
    static func analyze(duration: Double) throws -> RunAnalysis {
        let folder = try TemporaryFolder()
        try SimulatedRun.write(
            SimulatedCluster.Configuration(tickRates: [200, 300, 400], seed: 2), duration: duration, to: folder.path)
        return try RunAnalyzer.analyze(directory: folder.path)
    }

    @Test("a run 10x longer keeps the same number of time buckets, window events and jump sizes")
    func boundedStructures() throws {
        let short = try Self.analyze(duration: 30)
        let long = try Self.analyze(duration: 300)
        expectChecks(short.checks, failing: [])
        expectChecks(long.checks, failing: [])
        // The long run really is 10x the work.
        #expect(long.concurrency.events > 9 * short.concurrency.events)
        #expect(long.lines > 9 * short.lines)

        // Time series: a fixed number of buckets per VM, however many lines.
        for analysis in [short, long] {
            #expect(analysis.series.bucketCount == short.series.bucketCount)
            #expect(analysis.series.clock.count == 3 && analysis.series.queue.count == 3)
            #expect(analysis.series.clock.allSatisfy { $0.count == analysis.series.bucketCount })
            #expect(analysis.series.queue.allSatisfy { $0.count == analysis.series.bucketCount })
            // Space-time window: at most its limit, and full in both runs.
            #expect(analysis.window.events.count == analysis.window.limit)
        }

        // Jump histograms hold one entry per distinct size: a handful, the same order in both runs,
        // while the receives they count grow tenfold.
        for index in 0..<3 {
            let shortJumps = short.summaries[index].jumps
            let longJumps = long.summaries[index].jumps
            #expect(longJumps.receives > 9 * shortJumps.receives)
            #expect(longJumps.counts.count <= 2 * max(shortJumps.counts.count, 10), "vm\(index + 1)")
            #expect(longJumps.counts.count < 200, "vm\(index + 1): \(longJumps.counts.count) distinct sizes")
        }

        // Per-phase and per-VM results: one entry per VM, not per line.
        #expect(long.phases.count == short.phases.count)
        #expect(long.summaries.count == short.summaries.count)
    }
}
