import Testing

@testable import LamportCore
@testable import Orchestration
@testable import Settings

/// `--fault`, `--nemesis` and `--kill` of `vmserver cluster` (and `--fault`, `--nemesis` of
/// `simulate`): read by one parser, checked against the cluster like a plan's phase, and a mistake
/// is one line naming the flag and the field.
@Suite struct FaultOptionTests {
    static func cluster(
        vms: String = "3", duration: String = "20", faults: [String] = [], nemesis: String? = nil, kills: [String] = []
    ) throws(SettingsError) -> ClusterPlan {
        try ClusterPlan(
            vms: vms, duration: duration, tickRates: nil, seed: "1", maxAction: nil, outputDirectory: "runs/test",
            faults: faults, nemesis: nemesis, kills: kills)
    }

    @Test("the three options as one phase of faults")
    func good() throws {
        let plan = try Self.cluster(
            faults: [
                #"1@5:{"kind":"partition","peers":[2,3],"duration_s":5}"#, #"2@0:{"kind":"loss","probability":0.25}"#,
            ],
            nemesis: "isolate,every=8,for=3", kills: ["3@2+4", "2@15"])
        #expect(plan.faults.faults.map(\.vms) == [[1], [2]])
        #expect(plan.faults.faults.map(\.atSeconds) == [5, 0])
        #expect(
            plan.faults.faults[0].request == (try FaultRequest(kind: .partition, peers: [2, 3], durationSeconds: 5)))
        #expect(plan.faults.faults[1].source.label == #"--fault 2@0:{"kind":"loss","probability":0.25}"#)
        #expect(plan.faults.nemesis?.nemesis == (try Nemesis(kind: .isolate, everySeconds: 8, forSeconds: 3)))
        #expect(plan.faults.kills.map(\.vm) == [3, 2])
        #expect(plan.faults.kills.map(\.restartSeconds) == [6, nil])
        #expect(try Self.cluster().faults.isEmpty)
        #expect(try FaultOptions.nemesis(" bridge , for=1.5, every=2 ").nemesis.forSeconds == 1.5)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var flag: String
        var value: String
        var mentions: [String]
        var vms = "3"
        var testDescription: String { "\(flag) \(value)" }
    }

    static let bad = [
        Bad(flag: "--fault", value: "1:{}", mentions: ["VM@AT_S:JSON"]),
        Bad(flag: "--fault", value: #"x@1:{"kind":"partition"}"#, mentions: ["vm:"]),
        Bad(flag: "--fault", value: #"1@-1:{"kind":"partition"}"#, mentions: ["at_s:"]),
        Bad(flag: "--fault", value: #"1@20:{"kind":"partition"}"#, mentions: ["at_s:", "20"]),
        Bad(flag: "--fault", value: #"1@1:{"kind":"loss","probability":2}"#, mentions: ["probability:"]),
        Bad(flag: "--fault", value: #"1@1:{"kind":"loss","probability":0.5"#, mentions: ["JSON"]),
        Bad(flag: "--fault", value: #"1@1:{"kind":"partition","peers":[1]}"#, mentions: ["peers:", "itself"]),
        Bad(flag: "--fault", value: #"4@1:{"kind":"partition"}"#, mentions: ["vm:", "1-3"]),
        Bad(flag: "--fault", value: #"1@1:{"kind":"partition","peers":[9]}"#, mentions: ["peers:", "9"]),
        Bad(flag: "--nemesis", value: "chaos,every=5,for=1", mentions: ["KIND,every=S,for=D"]),
        Bad(flag: "--nemesis", value: "isolate,every=5", mentions: ["KIND,every=S,for=D"]),
        Bad(flag: "--nemesis", value: "isolate,every=5,for=1,for=2", mentions: ["KIND,every=S,for=D"]),
        Bad(flag: "--nemesis", value: "isolate,every=x,for=1", mentions: ["every:", "'x'"]),
        Bad(flag: "--nemesis", value: "isolate,every=5,for=5", mentions: ["for:"]),
        Bad(flag: "--nemesis", value: "isolate,every=0.5,for=0.2", mentions: ["every:"]),
        Bad(flag: "--nemesis", value: "isolate,every=30,for=5", mentions: ["every:", "20"]),
        Bad(flag: "--nemesis", value: "majorities_ring,every=5,for=1", mentions: ["kind:", "at least 4"]),
        Bad(flag: "--nemesis", value: "partition_halves,every=5,for=1", mentions: ["kind:", "2"], vms: "1"),
        Bad(flag: "--kill", value: "2", mentions: ["VM@AT_S"]),
        Bad(flag: "--kill", value: "0@1", mentions: ["vm:"]),
        Bad(flag: "--kill", value: "4@1", mentions: ["vm:", "4"]),
        Bad(flag: "--kill", value: "2@x", mentions: ["at_s:"]),
        Bad(flag: "--kill", value: "2@25", mentions: ["at_s:"]),
        Bad(flag: "--kill", value: "2@1+", mentions: ["restart_after_s:"]),
        Bad(flag: "--kill", value: "2@15+10", mentions: ["restart_after_s:", "5"]),
        Bad(flag: "--kill", value: "2@1+0", mentions: ["restart_after_s:"]),
    ]

    @Test("a bad option names the flag and the field in one line", arguments: bad)
    func rejected(_ bad: Bad) {
        let error = #expect(throws: SettingsError.self) {
            switch bad.flag {
            case "--fault": _ = try Self.cluster(vms: bad.vms, faults: [bad.value])
            case "--nemesis": _ = try Self.cluster(vms: bad.vms, nemesis: bad.value)
            default: _ = try Self.cluster(vms: bad.vms, kills: [bad.value])
            }
        }
        #expect(error?.setting == bad.flag, "\(String(describing: error))")
        for word in bad.mentions {
            #expect(error?.description.contains(word) == true, "\(String(describing: error)) should mention \(word)")
        }
        #expect(error?.description.contains("\n") == false)
    }

    @Test("kills that cannot work together name --kill: a second kill of a down VM, a restart it would wait on")
    func killSchedule() {
        let twice = #expect(throws: SettingsError.self) { try Self.cluster(kills: ["2@1", "2@5"]) }
        #expect(twice?.setting == "--kill" && twice?.message.contains("cannot be killed again") == true)
        let waiting = #expect(throws: SettingsError.self) { try Self.cluster(kills: ["1@1", "2@2+3"]) }
        #expect(waiting?.setting == "--kill" && waiting?.message.hasPrefix("restart_after_s:") == true)
        let nemesis = #expect(throws: SettingsError.self) {
            try Self.cluster(nemesis: "kill,every=5,for=1", kills: ["1@1+1"])
        }
        #expect(nemesis?.setting == "--nemesis" && nemesis?.message.hasPrefix("kind:") == true)
    }

    @Test("simulate: a partition nemesis becomes partition faults on both sides; kill is refused")
    func simulate() throws {
        let plan = try SimulationPlan(
            tickRates: "2,2,2,2", duration: "25", maxAction: "10", seed: "3", latency: "500",
            outputDirectory: "/nonexistent",
            faults: [try FaultOptions.fault(#"2@1:{"kind":"loss","probability":0.5}"#)],
            nemesis: try FaultOptions.nemesis("partition_halves,every=10,for=4"))
        let faults = plan.configuration.faults
        #expect(faults.first?.request.kind == .loss(probability: 0.5))
        let cuts = faults.dropFirst()
        #expect(
            cuts.map(\.atMicroseconds) == Array(repeating: 10_000_000, count: 4)
                + Array(repeating: 20_000_000, count: 4))
        #expect(cuts.allSatisfy { $0.request.kind == .partition && $0.request.durationMicroseconds == 4_000_000 })
        let error = #expect(throws: SettingsError.self) {
            try SimulationPlan(
                tickRates: "2,2,2", duration: "25", maxAction: "10", seed: "3", latency: "500",
                outputDirectory: "/nonexistent", nemesis: try FaultOptions.nemesis("kill,every=10,for=4"))
        }
        #expect(error?.setting == "--nemesis" && error?.message.contains("no crashes") == true)
    }

    @Test("simulate checks a --fault as cluster does: a VM naming itself, a start at the end")
    func simulateChecksFaultsAsClusterDoes() throws {
        for (fault, problem) in [
            (#"1@1:{"kind":"partition","peers":[1]}"#, "peers: VM 1 cannot name itself"),
            (#"2@1:{"kind":"loss","probability":1,"peers":[4]}"#, "peers: VM 4 is not one of 1-3"),
            (#"1@25:{"kind":"partition"}"#, "at_s:"),
        ] {
            let error = #expect(throws: SettingsError.self) {
                try SimulationPlan(
                    tickRates: "2,2,2", duration: "25", maxAction: "10", seed: "3", latency: "500",
                    outputDirectory: "/nonexistent", faults: [try FaultOptions.fault(fault)])
            }
            #expect(
                error?.setting == "--fault" && error?.message.hasPrefix(problem) == true, "\(String(describing: error))"
            )
        }
    }
}
