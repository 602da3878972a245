import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// A simulation of many VMs on a sparse topology stays linear in the VMs: each VM's lifecycle
/// lines are its neighbours' `peer_up` lines plus `start` and `stop`, never one per VM of the
/// cluster, and the logs pass every check of the analysis.
@Suite struct SimulatedScaleTests {
    @Test("2,000 VMs on random:4: peer_up lines are twice the links, lifecycle lines per VM its neighbours + 2")
    func sparseTopologyLogsAreLinear() throws {
        let vmCount = 2000
        let configuration = Self.configuration(vmCount: vmCount)
        let graph = try TopologyGraph(configuration.topology, vmCount: vmCount, seed: configuration.seed)
        let folder = try TemporaryFolder()
        let lines = try SimulatedRun.write(configuration, duration: 1, to: folder.path)

        var peerUps = 0
        var lifecycle = 0
        var total = 0
        for vm in 1...vmCount {
            let types = try Self.types(in: folder.file("vm\(vm).jsonl"))
            total += types.count
            let ups = types.filter { $0 == "peer_up" }.count
            #expect(ups == graph.neighbourCount(of: vm), "vm\(vm)")
            let other = types.filter { !["internal", "send", "receive", "unprocessed"].contains($0) }.count
            // peer_up per neighbour, start and stop: O(neighbours), whatever the cluster's size.
            #expect(other == ups + 2, "vm\(vm)")
            peerUps += ups
            lifecycle += other
        }
        #expect(total == lines)
        #expect(peerUps == 2 * graph.linkCount)
        #expect(graph.linkCount == 2 * vmCount)
        #expect(lifecycle == 2 * graph.linkCount + 2 * vmCount)
    }

    @Test("a sparse simulation's logs pass every check of the analysis")
    func sparseTopologyLogsPassTheChecks() throws {
        let vmCount = 300
        let folder = try TemporaryFolder()
        try SimulatedRun.write(Self.configuration(vmCount: vmCount), duration: 5, to: folder.path)
        let analysis = try RunAnalyzer.analyze(directory: folder.path)
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.passed)
        #expect(analysis.accounting.unaccounted == 0)
        #expect(analysis.accounting.received > 0)
        #expect(analysis.summaries.count == vmCount)
    }

    static func configuration(vmCount: Int) -> SimulatedCluster.Configuration {
        SimulatedCluster.Configuration(
            tickRates: (1...vmCount).map { Double($0 % 6 + 1) }, topology: .random(neighbours: 4), seed: 11)
    }

    /// The `type` of each line of a log file.
    static func types(in path: String) throws -> [Substring] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let start = try #require(line.range(of: "\"type\":\"")).upperBound
            return line[start...].prefix { $0 != "\"" }
        }
    }

    @Test("the write buffers of all VMs together stay within the budget from 10,000 VMs down")
    func writeBuffersAreBounded() {
        #expect(SimulatedRun.flushThreshold(vmCount: 3) == SimulatedRun.largestFileBuffer)
        for vmCount in [1000, 10_000] {
            let threshold = SimulatedRun.flushThreshold(vmCount: vmCount)
            #expect(threshold * vmCount <= SimulatedRun.writeBudget, "\(vmCount) VMs")
            #expect(threshold >= SimulatedRun.smallestFileBuffer)
        }
        // Past the budget a VM keeps the smallest buffer, so memory stays linear in the VMs.
        #expect(SimulatedRun.flushThreshold(vmCount: 100_000) == SimulatedRun.smallestFileBuffer)
    }
}
