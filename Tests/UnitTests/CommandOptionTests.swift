import Foundation
import Testing

@testable import LamportCore
@testable import Orchestration
@testable import Settings

/// The numeric options of `vmserver cluster` and `vmserver simulate`: each has a stated range, and
/// anything outside is a one-line `SettingsError` naming the flag (the command exits 2 with it).
@Suite struct CommandOptionTests {
    // MARK: cluster

    static func cluster(
        vms: String? = nil, duration: String? = nil, tickRates: String? = nil, seed: String? = nil,
        maxAction: String? = nil
    ) throws(SettingsError) -> ClusterPlan {
        try ClusterPlan(
            vms: vms, duration: duration, tickRates: tickRates, seed: seed, maxAction: maxAction,
            outputDirectory: "runs/test")
    }

    @Test("cluster defaults: 3 VMs, 60 s, full topology, each VM's own max_action, a seed within 2^53")
    func clusterDefaults() throws {
        let plan = try Self.cluster()
        #expect(plan.vmCount == 3 && plan.duration == 60 && plan.maxAction == nil && plan.tickRates == nil)
        #expect(plan.topology == .full && plan.graph.linkCount == 3)
        #expect(plan.seed <= VMSettings.maximumSeed)
        #expect(plan.outputDirectory == "runs/test")
    }

    @Test("cluster options at the bounds of their ranges are accepted")
    func clusterBounds() throws {
        let small = try Self.cluster(vms: "1", duration: "0.001", seed: "0", maxAction: "1")
        #expect(small.vmCount == 1 && small.duration == 0.001 && small.seed == 0 && small.maxAction == 1)
        let large = try Self.cluster(vms: "100", duration: "31536000", seed: "9007199254740991", maxAction: "1000000")
        #expect(large.vmCount == 100 && large.duration == 31_536_000 && large.maxAction == 1_000_000)
        #expect(large.seed == VMSettings.maximumSeed)
        #expect(try Self.cluster(vms: "20", maxAction: "20").maxAction == 20, "at least the most neighbours + 1")
        #expect(try Self.cluster(vms: "100000").vmCount == 100_000, "the host check comes later, with its resources")
        let drawn = try #require(try Self.cluster(vms: "50", tickRates: "1-6", seed: "3").tickRates)
        #expect(drawn.count == 50 && drawn.allSatisfy { (1...6).map { TickRate.perSecond(Double($0)) }.contains($0) })
        #expect(try Self.cluster(vms: "50", tickRates: "1-6", seed: "3").tickRates == drawn, "drawn from the seed")
        #expect(try Self.cluster(vms: "2", tickRates: "1.5, max").tickRates == [.perSecond(1.5), .unthrottled])
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var options: [String: String]
        var flag: String
        var testDescription: String { "\(options.sorted { $0.key < $1.key }) -> \(flag)" }

        init(_ options: [String: String], _ flag: String) {
            self.options = options
            self.flag = flag
        }
    }

    @Test(
        "a cluster option outside its range names the flag",
        arguments: [
            Bad(["vms": "0"], "--vms"), Bad(["vms": "1000001"], "--vms"), Bad(["vms": "-3"], "--vms"),
            Bad(["vms": "abc"], "--vms"), Bad(["vms": "1e2"], "--vms"), Bad(["vms": "99999999999999999999"], "--vms"),
            Bad(["duration": "0"], "--duration"), Bad(["duration": "-1"], "--duration"),
            Bad(["duration": "1e10"], "--duration"), Bad(["duration": "1e300"], "--duration"),
            Bad(["duration": "inf"], "--duration"), Bad(["duration": "nan"], "--duration"),
            Bad(["seed": "-1"], "--seed"), Bad(["seed": "9007199254740992"], "--seed"), Bad(["seed": "x"], "--seed"),
            Bad(["max-action": "2"], "--max-action"), Bad(["max-action": "1000001"], "--max-action"),
            Bad(["max-action": "ten"], "--max-action"), Bad(["vms": "5", "max-action": "4"], "--max-action"),
            Bad(["tick-rates": "1,2"], "--tick-rates"), Bad(["tick-rates": "1,2,1e7"], "--tick-rates"),
            Bad(["tick-rates": "1,2,nan"], "--tick-rates"),
        ])
    func clusterRejects(_ bad: Bad) throws {
        let options = bad.options
        let error = try #require(throws: SettingsError.self) {
            try Self.cluster(
                vms: options["vms"], duration: options["duration"], tickRates: options["tick-rates"],
                seed: options["seed"], maxAction: options["max-action"])
        }
        #expect(error.setting == bad.flag, "\(error)")
        #expect(error.message.contains("expected"), "says what is accepted: \(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test("the --vms error states the limit")
    func vmsLimitStated() throws {
        let error = try #require(throws: SettingsError.self) { try Self.cluster(vms: "1000001") }
        #expect(
            error.description
                == "invalid --vms: expected an integer from 1 to 1000000 (what this host holds is computed at the start); got '1000001'"
        )
    }

    @Test("--topology: a sparse topology lowers the smallest --max-action; a bad one names the flag")
    func clusterTopology() throws {
        let ring = try ClusterPlan(
            vms: "10", duration: nil, tickRates: nil, seed: "1", maxAction: "3", outputDirectory: "runs/test",
            topology: "ring")
        #expect(ring.topology == .ring && ring.graph.linkCount == 10 && ring.maxAction == 3)
        let tooSmall = try #require(throws: SettingsError.self) {
            try ClusterPlan(
                vms: "10", duration: nil, tickRates: nil, seed: "1", maxAction: "2", outputDirectory: "runs/test",
                topology: "ring")
        }
        #expect(tooSmall.setting == "--max-action")
        let bad = try #require(throws: SettingsError.self) {
            try ClusterPlan(
                vms: "10", duration: nil, tickRates: nil, seed: "1", maxAction: nil, outputDirectory: "runs/test",
                topology: "random:1")
        }
        #expect(bad.setting == "--topology" && !bad.description.contains("\n"), "\(bad)")
    }

    // MARK: simulate

    static func simulate(
        tickRates: String = "1,4,6", duration: String = "60", maxAction: String = "10", seed: String = "1",
        latency: String = "500", out: String = "/nonexistent/sim"
    ) throws(SettingsError) -> SimulationPlan {
        try SimulationPlan(
            tickRates: tickRates, duration: duration, maxAction: maxAction, seed: seed, latency: latency,
            outputDirectory: out)
    }

    @Test("simulate options within their ranges make the configuration")
    func simulateAccepted() throws {
        let plan = try Self.simulate(
            tickRates: "0.001, 1000000", duration: "31536000", maxAction: "1000000", seed: "9007199254740991",
            latency: "60000000")
        #expect(plan.configuration.tickRates == [0.001, 1_000_000])
        #expect(plan.duration == 31_536_000)
        #expect(plan.configuration.maxAction == 1_000_000)
        #expect(plan.configuration.seed == VMSettings.maximumSeed)
        #expect(plan.configuration.latencyMicroseconds == 60_000_000)
        #expect(try Self.simulate(latency: "0").configuration.latencyMicroseconds == 0)
    }

    @Test(
        "a simulate option outside its range names the flag",
        arguments: [
            Bad(["tick-rates": ""], "--tick-rates"), Bad(["tick-rates": "1,max"], "--tick-rates"),
            Bad(["tick-rates": "1,inf"], "--tick-rates"), Bad(["tick-rates": "1,2e6"], "--tick-rates"),
            Bad(["tick-rates": Array(repeating: "1", count: 100_001).joined(separator: ",")], "--tick-rates"),
            Bad(["duration": "0"], "--duration"), Bad(["duration": "1e300"], "--duration"),
            Bad(["duration": "nan"], "--duration"), Bad(["max-action": "2"], "--max-action"),
            Bad(["max-action": "1e9"], "--max-action"), Bad(["seed": "-1"], "--seed"),
            Bad(["seed": "9007199254740992"], "--seed"), Bad(["latency": "-1"], "--latency"),
            Bad(["latency": "60000001"], "--latency"), Bad(["latency": "9223372036854775807"], "--latency"),
            Bad(["latency": "0.5"], "--latency"),
        ])
    func simulateRejects(_ bad: Bad) throws {
        let options = bad.options
        let error = try #require(throws: SettingsError.self) {
            try Self.simulate(
                tickRates: options["tick-rates"] ?? "1,4,6", duration: options["duration"] ?? "60",
                maxAction: options["max-action"] ?? "10", seed: options["seed"] ?? "1",
                latency: options["latency"] ?? "500")
        }
        #expect(error.setting == bad.flag, "\(error)")
        #expect(error.message.contains("expected"), "says what is accepted: \(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test("simulate refuses a folder that already holds logs")
    func simulateOutHoldsLogs() throws {
        let folder = try TemporaryFolder()
        try Data().write(to: URL(fileURLWithPath: folder.file("vm1.jsonl")))
        let error = try #require(throws: SettingsError.self) { try Self.simulate(out: folder.path) }
        #expect(error.setting == "--out")
    }
}
