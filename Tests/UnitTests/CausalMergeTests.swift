import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// `LogMerger` takes every receive after its send, whatever the time stamps say, so a VM whose
/// log times are skewed (a `clock_skew` fault, hosts whose clocks disagree) leaves the causal
/// analysis as it is.
@Suite struct CausalMergeTests {
    static func analysis(skews: [SimulatedCluster.ScheduledFault]) throws -> RunAnalysis {
        try SimulatedFaultsTests.analyze(tickRates: [5, 7, 9], seed: 3, seconds: 30, faults: skews)
    }

    static func skew(vm: Int, milliseconds: Int) -> SimulatedCluster.ScheduledFault {
        SimulatedFaultsTests.fault(.clockSkew(milliseconds: milliseconds), vm: vm, at: 0)
    }

    @Test("vector clocks and causal pairs are the same when one VM's times run 5 s behind and another's 3 s ahead")
    func skewedTimesLeaveTheCausalOrder() throws {
        let plain = try Self.analysis(skews: [])
        let skewed = try Self.analysis(skews: [
            Self.skew(vm: 2, milliseconds: -5000), Self.skew(vm: 3, milliseconds: 3000),
        ])
        expectChecks(skewed.checks, failing: [])
        #expect(skewed.concurrency.events == plain.concurrency.events)
        #expect(skewed.concurrency.causalPairs == plain.concurrency.causalPairs)
        #expect(skewed.concurrency.concurrentPairs == plain.concurrency.concurrentPairs)
        #expect(skewed.concurrency.orderedButConcurrentPairs == plain.concurrency.orderedButConcurrentPairs)
        #expect(skewed.accounting == plain.accounting)
    }

    @Test("a receive stamped before its send still comes after it in the merged walk")
    func receiveWaitsForItsSend() throws {
        let folder = try TemporaryFolder()
        let vm1 = [
            #"{"seq":1,"vm":1,"type":"start","clock":0,"time":"2026-01-01T00:00:10.000000Z","queue":0}"#,
            #"{"seq":2,"vm":1,"type":"send","clock":1,"time":"2026-01-01T00:00:11.000000Z","queue":0,"to":[2]}"#,
        ]
        let vm2 = [
            #"{"seq":1,"vm":2,"type":"start","clock":0,"time":"2026-01-01T00:00:01.000000Z","queue":0}"#,
            #"{"seq":2,"vm":2,"type":"receive","clock":2,"time":"2026-01-01T00:00:02.000000Z","queue":0,"from":1,"send_seq":2,"msg_clock":1}"#,
            #"{"seq":3,"vm":2,"type":"internal","clock":3,"time":"2026-01-01T00:00:03.000000Z","queue":0}"#,
        ]
        try (vm1.joined(separator: "\n") + "\n").write(
            toFile: folder.file("vm1.jsonl"), atomically: true, encoding: .utf8)
        try (vm2.joined(separator: "\n") + "\n").write(
            toFile: folder.file("vm2.jsonl"), atomically: true, encoding: .utf8)
        var walked: [String] = []
        try LogMerger.forEachRecord(inFiles: [folder.file("vm1.jsonl"), folder.file("vm2.jsonl")]) { record in
            walked.append("\(record.vm):\(record.seq)")
        }
        #expect(walked == ["2:1", "1:1", "1:2", "2:2", "2:3"])
    }
}
