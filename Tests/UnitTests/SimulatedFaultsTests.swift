import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// `vmserver simulate` with faults: each kind, on the same model as the real VM, in virtual time.
@Suite struct SimulatedFaultsTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var faults: [SimulatedCluster.ScheduledFault]
        var testDescription: String { name }
    }

    static func fault(
        _ kind: FaultKind, vm: Int = 1, at seconds: Int64, peers: [Int]? = nil, for duration: Double? = nil
    ) -> SimulatedCluster.ScheduledFault {
        // The requests are within range; a failure would show as a missing fault line.
        let request = (try? FaultRequest(kind: kind, peers: peers, durationSeconds: duration)) ?? FaultRequest.none
        return SimulatedCluster.ScheduledFault(vm: vm, atMicroseconds: seconds * 1_000_000, request: request)
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "delay",
            faults: [
                fault(.delay(milliseconds: 40, jitterMilliseconds: 30, distribution: .exponential), at: 5, for: 20),
                fault(.delay(milliseconds: 10, jitterMilliseconds: 5, distribution: .uniform), vm: 3, at: 2),
            ]),
        Scenario(
            name: "loss",
            faults: [
                fault(.loss(probability: 0.3), at: 5, for: 20),
                fault(.loss(probability: 0.5), vm: 2, at: 10, peers: [3]),
            ]),
        Scenario(
            name: "duplicate",
            faults: [
                fault(.duplicate(probability: 0.4), vm: 3, at: 5, for: 20),
                fault(.duplicate(probability: 1), vm: 2, at: 30, peers: [1]),
            ]),
        Scenario(
            name: "partition",
            faults: [fault(.partition, at: 5, peers: [2], for: 10), fault(.partition, vm: 3, at: 40)]),
        Scenario(
            name: "clock_skew",
            faults: [
                fault(.clockSkew(milliseconds: 1500), vm: 2, at: 5, for: 10),
                fault(.clockSkew(milliseconds: -2000), vm: 3, at: 20, for: 20),
                // Still active at the end of the run: the tick rates must still measure right.
                fault(.clockSkew(milliseconds: 5000), vm: 1, at: 30),
            ]),
        Scenario(
            name: "every kind at once",
            faults: [
                fault(.delay(milliseconds: 20, jitterMilliseconds: 20, distribution: .uniform), at: 3, for: 30),
                fault(.loss(probability: 0.2), vm: 3, at: 4, for: 30),
                fault(.duplicate(probability: 0.3), vm: 2, at: 5),
                fault(.partition, vm: 2, at: 10, peers: [3], for: 5),
                fault(.clockSkew(milliseconds: 700), vm: 3, at: 1, for: 40),
                fault(.partition, vm: 3, at: 50),
            ]),
    ]

    static func configuration(_ faults: [SimulatedCluster.ScheduledFault]) -> SimulatedCluster.Configuration {
        SimulatedCluster.Configuration(tickRates: [20, 50, 80], seed: 7, latencyMicroseconds: 2000, faults: faults)
    }

    /// The analysis of a simulated run of VMs at `tickRates` with `faults`.
    static func analyze(
        tickRates: [Double], seed: UInt64, seconds: Double, faults: [SimulatedCluster.ScheduledFault]
    ) throws -> RunAnalysis {
        let configuration = SimulatedCluster.Configuration(
            tickRates: tickRates, seed: seed, latencyMicroseconds: 1000, faults: faults)
        let folder = try TemporaryFolder()
        try SimulatedRun.write(configuration, duration: seconds, to: folder.path)
        return try RunAnalyzer.analyze(directory: folder.path)
    }

    static func bytes(of folder: TemporaryFolder, vms: Int) throws -> [Data] {
        try (1...vms).map { try Data(contentsOf: URL(fileURLWithPath: folder.file("vm\($0).jsonl"))) }
    }

    @Test("a simulated run with faults passes every check and replays byte for byte", arguments: scenarios)
    func faultRun(_ scenario: Scenario) throws {
        let configuration = Self.configuration(scenario.faults)
        try SimulatedCluster.checkFaults(configuration)
        let first = try TemporaryFolder()
        let second = try TemporaryFolder()
        try SimulatedRun.write(configuration, duration: 60, to: first.path)
        try SimulatedRun.write(configuration, duration: 60, to: second.path)
        #expect(try Self.bytes(of: first, vms: 3) == Self.bytes(of: second, vms: 3))

        let analysis = try RunAnalyzer.analyze(directory: first.path)
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.passed)
        #expect(analysis.accounting.unaccounted == 0)
        let text = try Self.bytes(of: first, vms: 3).map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(text.components(separatedBy: "\"type\":\"fault\"").count - 1 == scenario.faults.count)
        #expect(text.components(separatedBy: "\"type\":\"heal\"").count - 1 == scenario.faults.count)
        let kinds = Set(scenario.faults.map(\.request.kind.name))
        if kinds.contains("loss") { #expect(analysis.accounting.lostToFault > 0) }
        if kinds.contains("duplicate") { #expect(analysis.accounting.duplicated > 0) }
        if kinds.contains("partition") { #expect(text.contains("\"reason\":\"stopped\"")) }
    }

    @Test func aDifferentSeedDrawsOtherFates() throws {
        var configuration = Self.configuration([Self.fault(.loss(probability: 0.5), at: 1)])
        let first = try TemporaryFolder()
        try SimulatedRun.write(configuration, duration: 10, to: first.path)
        configuration.seed = 8
        let second = try TemporaryFolder()
        try SimulatedRun.write(configuration, duration: 10, to: second.path)
        #expect(try Self.bytes(of: first, vms: 3) != Self.bytes(of: second, vms: 3))
    }

    /// Without faults the logs are those of the simulator before the fault model: the FNV-1a hash
    /// of the bytes `vmserver simulate --tick-rates 1,4,6,3 --duration 300 --seed 42` wrote before
    /// it (checked with `cmp` against that build's output; sha256 of the four files in order
    /// c8bbfc72827e83c1dde73d51e3a6e9140cde18407b1bc9aa47f5395ceabb8383 once
    /// `,"topology":"full"` is taken out of the `start` lines, the only change topologies made).
    @Test func withoutFaultsTheLogsAreUnchanged() throws {
        let folder = try TemporaryFolder()
        try SimulatedRun.write(
            SimulatedCluster.Configuration(tickRates: [1, 4, 6, 3], maxAction: 10, seed: 42), duration: 300,
            to: folder.path)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for data in try Self.bytes(of: folder, vms: 4) {
            for byte in data {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        #expect(hash == 9_215_109_842_696_553_135)
    }

    @Test func faultsOutsideTheClusterAreRefused() {
        #expect(throws: FaultParameterError.self) {
            try SimulatedCluster.checkFaults(Self.configuration([Self.fault(.partition, vm: 4, at: 1)]))
        }
        #expect(throws: FaultParameterError.self) {
            try SimulatedCluster.checkFaults(Self.configuration([Self.fault(.partition, vm: 1, at: 1, peers: [1])]))
        }
    }
}

extension FaultRequest {
    /// A placeholder request (a partition), for a fixture whose request would not build.
    fileprivate static var none: FaultRequest {
        // swift-format-ignore: NeverUseForceTry
        try! FaultRequest(kind: .partition)
    }
}
