import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// The space-time window of a run with faults shows what they do.
@Suite struct SpaceTimeWindowFaultTests {
    static func analysis(faults: [SimulatedCluster.ScheduledFault]) throws -> RunAnalysis {
        try SimulatedFaultsTests.analyze(tickRates: [5, 7, 9], seed: 5, seconds: 40, faults: faults)
    }

    @Test("a fault that starts after the first 120 events moves the window to its start, where its losses show")
    func windowMovesToTheFirstFault() throws {
        let plain = try Self.analysis(faults: [])
        #expect(!plain.window.startsAtFault)
        let lossy = try Self.analysis(faults: [
            SimulatedFaultsTests.fault(.clockSkew(milliseconds: 500), vm: 3, at: 15, for: 10),
            SimulatedFaultsTests.fault(.loss(probability: 1), vm: 1, at: 20, for: 10),
        ])
        #expect(lossy.window.startsAtFault)
        let faultStart = try #require(lossy.faults.first { $0.kind == "loss" }?.start)
        #expect(lossy.window.from == faultStart, "the clock_skew at 15 s does not move it")
        #expect(lossy.window.events.count == lossy.window.limit)
        #expect(lossy.window.events.contains { !$0.lost.isEmpty }, "VM 1's lost copies are in the window")
        let diagram = try #require(RunPlots(lossy).all.first { $0.file == "spacetime.svg" })
        #expect(diagram.svg.contains("seconds after the first fault started"))
    }
}
