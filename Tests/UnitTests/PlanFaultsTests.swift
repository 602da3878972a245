import Foundation
import Testing

@testable import LamportCore
@testable import Orchestration
@testable import Settings

/// A plan phase's `faults`, `nemesis` and `kill`: read with the VM's own fault parser, checked
/// against the plan, and every mistake a one-line `SettingsError` naming the key.
@Suite struct PlanFaultsTests {
    static func load(_ text: String, file: String = "p.yaml") throws -> ExperimentPlan {
        let folder = try TemporaryFolder()
        let path = folder.file(file)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ExperimentPlan.load(path: path)
    }

    static let plan = """
        vms: 4
        phases:
          - duration: 10
          - duration: 20
            faults:
              - {vm: 1, kind: loss, probability: 1.0, peers: [2]}
              - {vm: [2, 3], at_s: 5, kind: delay, ms: 100, jitter_ms: 50, distribution: exponential, duration_s: 5}
              - {kind: partition, peers: [4]}
              - {vm: all, kind: clock_skew, ms: -2000}
            kill:
              - {vm: 3, at_s: 2, restart_after_s: 3}
              - {vm: 4, at_s: 12}
          - duration: 30
            nemesis: {kind: partition_halves, every_s: 10, for_s: 4}

        """

    @Test("faults, kill and nemesis as written, with their defaults")
    func read() throws {
        let plan = try Self.load(Self.plan)
        #expect(plan.phases[0].faults.isEmpty)
        let faults = plan.phases[1].faults
        #expect(faults.faults.map(\.vms) == [[1], [2, 3], [1, 2, 3, 4], [1, 2, 3, 4]])
        #expect(faults.faults.map(\.atSeconds) == [0, 5, 0, 0])
        #expect(faults.faults[0].request == (try FaultRequest(kind: .loss(probability: 1), peers: [2])))
        #expect(
            faults.faults[1].request
                == (try FaultRequest(
                    kind: .delay(milliseconds: 100, jitterMilliseconds: 50, distribution: .exponential),
                    durationSeconds: 5)))
        #expect(faults.faults[3].request.kind == .clockSkew(milliseconds: -2000))
        #expect(faults.faults.map(\.source.setting).last == "phases[1].faults[3]")
        #expect(
            faults.kills == [
                PlannedKill(vm: 3, atSeconds: 2, restartAfterSeconds: 3, source: .plan(phase: 1, key: "kill[0]")),
                PlannedKill(vm: 4, atSeconds: 12, restartAfterSeconds: nil, source: .plan(phase: 1, key: "kill[1]")),
            ])
        #expect(faults.nemesis == nil)
        let nemesis = try #require(plan.phases[2].faults.nemesis)
        #expect(nemesis.nemesis == (try Nemesis(kind: .partitionHalves, everySeconds: 10, forSeconds: 4)))
        #expect(nemesis.source.setting == "phases[2].nemesis")
    }

    @Test("a fault on several VMs leaves each VM out of its own peers, and skips a VM left with none")
    func ownPeers() throws {
        let fault = try Self.load(Self.plan).phases[1].faults.faults[2]
        #expect(fault.request(for: 1)?.peers == [4])
        #expect(fault.request(for: 4) == nil)
        let steps = try Self.load(Self.plan).phases[1].faults.steps(vmCount: 4, duration: 20, seed: 1, phaseIndex: 1)
        guard case .faults(let set)? = steps.first(where: { $0.source.label == "faults[2]" })?.action else {
            Issue.record("no step for faults[2]: \(steps)")
            return
        }
        #expect(set.map(\.vm) == [1, 2, 3])
    }

    @Test("the phase's steps in time order: faults at at_s, kills and restarts, each nemesis cycle")
    func steps() throws {
        let plan = try Self.load(Self.plan)
        let steps = plan.phases[1].faults.steps(vmCount: 4, duration: 20, seed: 9, phaseIndex: 1)
        #expect(steps.map(\.atSeconds) == [0, 0, 0, 2, 5, 5, 12])
        #expect(steps[3].action == .kill(vm: 3) && steps[4].action == .restart(vm: 3))
        #expect(steps[6].action == .kill(vm: 4))

        let nemesis = plan.phases[2].faults.steps(vmCount: 4, duration: 30, seed: 9, phaseIndex: 2)
        #expect(nemesis.map(\.atSeconds) == [10, 20])
        #expect(nemesis.map(\.source.label) == ["nemesis partition_halves #1", "nemesis partition_halves #2"])
        for step in nemesis {
            guard case .faults(let cuts) = step.action else {
                Issue.record("\(step)")
                continue
            }
            #expect(cuts.count == 4, "each VM is cut from the other half")
            #expect(cuts.allSatisfy { $0.request.kind == .partition && $0.request.durationMicroseconds == 4_000_000 })
            #expect(step.note?.contains("|") == true)
        }
        #expect(nemesis == plan.phases[2].faults.steps(vmCount: 4, duration: 30, seed: 9, phaseIndex: 2))
    }

    @Test("a kill nemesis kills a VM each cycle and restarts it for_s later, at the phase's end at the latest")
    func killNemesis() throws {
        let plan = try Self.load("phases:\n  - duration: 25\n    nemesis: {kind: kill, every_s: 10, for_s: 6}\n")
        let steps = plan.phases[0].faults.steps(vmCount: 3, duration: 25, seed: 4, phaseIndex: 0)
        #expect(steps.map(\.atSeconds) == [10, 16, 20, 25])
        guard case .kill(let first) = steps[0].action, case .kill(let second) = steps[2].action else {
            Issue.record("\(steps)")
            return
        }
        #expect(steps[1].action == .restart(vm: first) && steps[3].action == .restart(vm: second))
    }

    @Test("the shipped plans with faults load as their docs describe them")
    func shipped() throws {
        let oneWay = try ExperimentPlan.load(path: ExperimentPlanTests.shipped("one-way-partition.yaml"))
        #expect(oneWay.phases.map(\.duration) == [20, 20, 20])
        #expect(oneWay.phases[1].faults.faults.map(\.vms) == [[1]])
        #expect(oneWay.phases[1].faults.faults.first?.request == (try FaultRequest(kind: .partition, peers: [2, 3])))
        let jitter = try ExperimentPlan.load(path: ExperimentPlanTests.shipped("jitter.yaml"))
        #expect(jitter.phases.count == 4 && jitter.phases[0].faults.isEmpty)
        #expect(
            jitter.phases.dropFirst().compactMap(\.faults.faults.first?.request.kind) == [
                .delay(milliseconds: 500, jitterMilliseconds: 0, distribution: .constant),
                .delay(milliseconds: 500, jitterMilliseconds: 450, distribution: .uniform),
                .delay(milliseconds: 100, jitterMilliseconds: 400, distribution: .exponential),
            ])
        let crash = try ExperimentPlan.load(path: ExperimentPlanTests.shipped("crash-restart.yaml"))
        #expect(crash.phases[1].faults.kills.map(\.restartSeconds) == [12])
        let halves = try ExperimentPlan.load(path: ExperimentPlanTests.shipped("nemesis-halves.yaml"))
        #expect(halves.vms == 4 && halves.phases[1].faults.nemesis?.nemesis.kind == .partitionHalves)
    }

    @Test("JSON plans take the same keys")
    func json() throws {
        let plan = try Self.load(
            #"{"vms": 3, "phases": [{"duration": 5, "faults": [{"vm": 2, "kind": "duplicate", "probability": 0.5}], "#
                + #""kill": [{"vm": 1, "restart_after_s": 2}], "nemesis": {"kind": "isolate", "every_s": 2, "for_s": 1}}]}"#,
            file: "p.json")
        let faults = plan.phases[0].faults
        #expect(faults.faults.first?.request.kind == .duplicate(probability: 0.5))
        #expect(faults.kills.first?.restartSeconds == 2)
        #expect(faults.nemesis?.nemesis.kind == .isolate)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var label: String
        var phase: String
        var setting: String
        var mentions: [String] = []
        var vms = 3
        var testDescription: String { label }
    }

    static let bad = [
        Bad(
            label: "probability above 1", phase: "faults: [{kind: loss, probability: 1.5}]",
            setting: "phases[0].faults[0].probability", mentions: ["from 0 to 1"]),
        Bad(label: "no kind", phase: "faults: [{vm: 1, probability: 0.5}]", setting: "phases[0].faults[0].kind"),
        Bad(
            label: "unknown kind", phase: "faults: [{kind: flood}]", setting: "phases[0].faults[0].kind",
            mentions: ["flood"]),
        Bad(
            label: "a parameter of another kind", phase: "faults: [{kind: partition, ms: 5}]",
            setting: "phases[0].faults[0].ms"),
        Bad(
            label: "an unknown key", phase: "faults: [{kind: partition, colour: red}]",
            setting: "phases[0].faults[0].colour"),
        Bad(label: "delay without ms", phase: "faults: [{kind: delay}]", setting: "phases[0].faults[0].ms"),
        Bad(
            label: "constant with jitter",
            phase: "faults: [{kind: delay, ms: 5, jitter_ms: 2, distribution: constant}]",
            setting: "phases[0].faults[0].jitter_ms"),
        Bad(
            label: "duration_s 0", phase: "faults: [{kind: partition, duration_s: 0}]",
            setting: "phases[0].faults[0].duration_s"),
        Bad(
            label: "peers of clock_skew", phase: "faults: [{kind: clock_skew, ms: 5, peers: [2]}]",
            setting: "phases[0].faults[0].peers"),
        Bad(
            label: "a peer outside the plan", phase: "faults: [{vm: 1, kind: partition, peers: [4]}]",
            setting: "phases[0].faults[0].peers", mentions: ["4", "1-3"]),
        Bad(
            label: "a VM its own peer", phase: "faults: [{vm: 2, kind: partition, peers: [2]}]",
            setting: "phases[0].faults[0].peers", mentions: ["itself"]),
        Bad(
            label: "vm outside the plan", phase: "faults: [{vm: 5, kind: partition}]",
            setting: "phases[0].faults[0].vm", mentions: ["5"]),
        Bad(label: "vm 0", phase: "faults: [{vm: 0, kind: partition}]", setting: "phases[0].faults[0].vm"),
        Bad(
            label: "vm some", phase: "faults: [{vm: some, kind: partition}]", setting: "phases[0].faults[0].vm",
            mentions: ["'some'", "all"]),
        Bad(
            label: "at_s at the end", phase: "faults: [{kind: partition, at_s: 10}]",
            setting: "phases[0].faults[0].at_s", mentions: ["10"]),
        Bad(
            label: "at_s negative", phase: "faults: [{kind: partition, at_s: -1}]", setting: "phases[0].faults[0].at_s"),
        Bad(label: "a fault that is not a mapping", phase: "faults: [loss]", setting: "phases[0].faults[0]"),
        Bad(
            label: "nemesis kind unknown", phase: "nemesis: {kind: chaos, every_s: 5, for_s: 1}",
            setting: "phases[0].nemesis.kind", mentions: ["partition_halves"]),
        Bad(
            label: "nemesis without every_s", phase: "nemesis: {kind: isolate, for_s: 1}",
            setting: "phases[0].nemesis.every_s"),
        Bad(
            label: "nemesis for_s not below every_s", phase: "nemesis: {kind: isolate, every_s: 5, for_s: 5}",
            setting: "phases[0].nemesis.for_s"),
        Bad(
            label: "nemesis with a typo", phase: "nemesis: {kind: isolate, every_s: 5, for: 1}",
            setting: "phases[0].nemesis.for"),
        Bad(
            label: "nemesis every_s past the phase", phase: "nemesis: {kind: isolate, every_s: 10, for_s: 1}",
            setting: "phases[0].nemesis.every_s", mentions: ["10"]),
        Bad(
            label: "majorities_ring with 3 VMs", phase: "nemesis: {kind: majorities_ring, every_s: 5, for_s: 1}",
            setting: "phases[0].nemesis.kind", mentions: ["at least 4", "3"]),
        Bad(
            label: "bridge with 2 VMs", phase: "nemesis: {kind: bridge, every_s: 5, for_s: 1}",
            setting: "phases[0].nemesis.kind", mentions: ["3"], vms: 2),
        Bad(label: "kill without vm", phase: "kill: [{at_s: 1}]", setting: "phases[0].kill[0].vm"),
        Bad(label: "kill of VM 4 of 3", phase: "kill: [{vm: 4}]", setting: "phases[0].kill[0].vm", mentions: ["4"]),
        Bad(label: "kill with a list", phase: "kill: [{vm: [1, 2]}]", setting: "phases[0].kill[0].vm"),
        Bad(
            label: "kill with a typo", phase: "kill: [{vm: 1, restart_after: 2}]",
            setting: "phases[0].kill[0].restart_after"),
        Bad(
            label: "restart after the phase", phase: "kill: [{vm: 1, at_s: 6, restart_after_s: 5}]",
            setting: "phases[0].kill[0].restart_after_s", mentions: ["4"]),
        Bad(
            label: "restart after 0", phase: "kill: [{vm: 1, restart_after_s: 0}]",
            setting: "phases[0].kill[0].restart_after_s"),
        Bad(
            label: "a VM killed twice", phase: "kill: [{vm: 1, at_s: 1, restart_after_s: 5}, {vm: 1, at_s: 3}]",
            setting: "phases[0].kill[1].vm", mentions: ["phases[0].kill[0]"]),
        Bad(
            label: "a restart while another VM stays down",
            phase: "kill: [{vm: 1, at_s: 1}, {vm: 2, at_s: 2, restart_after_s: 3}]",
            setting: "phases[0].kill[1].restart_after_s", mentions: ["VM 1", "waits for all its peers"]),
        Bad(
            label: "a kill nemesis beside kill entries",
            phase: "kill: [{vm: 1, at_s: 1, restart_after_s: 1}]\n    nemesis: {kind: kill, every_s: 5, for_s: 1}",
            setting: "phases[0].nemesis.kind"),
    ]

    @Test("a bad fault, nemesis or kill names its key", arguments: bad)
    func rejected(_ bad: Bad) throws {
        let text = "vms: \(bad.vms)\nphases:\n  - duration: 10\n    \(bad.phase)\n"
        let error = try #require(throws: SettingsError.self) { try Self.load(text) }
        #expect(error.setting == bad.setting, "\(error)")
        for word in bad.mentions {
            #expect(error.description.contains(word), "\(error) should mention \(word)")
        }
        #expect(!error.description.contains("\n"), "one line: \(error)")
    }

    @Test("a VM down since an earlier phase cannot be killed again, nor meet a kill nemesis")
    func acrossPhases() throws {
        let killedTwice = "phases:\n  - duration: 5\n    kill: [{vm: 2}]\n  - duration: 5\n    kill: [{vm: 2}]\n"
        let twice = try #require(throws: SettingsError.self) { try Self.load(killedTwice) }
        #expect(twice.setting == "phases[1].kill[0].vm", "\(twice)")
        let nemesis =
            "phases:\n  - duration: 5\n    kill: [{vm: 2}]\n  - duration: 9\n"
            + "    nemesis: {kind: kill, every_s: 3, for_s: 1}\n"
        let down = try #require(throws: SettingsError.self) { try Self.load(nemesis) }
        #expect(down.setting == "phases[1].nemesis.kind" && down.message.contains("VM 2"), "\(down)")
        let restarted =
            "phases:\n  - duration: 5\n    kill: [{vm: 2, at_s: 1, restart_after_s: 4}]\n  - duration: 5\n"
            + "    kill: [{vm: 2, at_s: 1}]\n"
        #expect(try Self.load(restarted).phases[1].faults.kills.count == 1, "restarted, it can be killed again")
        let together =
            "phases:\n  - duration: 9\n    kill: [{vm: 1, at_s: 1, restart_after_s: 3}, {vm: 2, at_s: 1, restart_after_s: 3}]\n"
        #expect(try Self.load(together).phases[0].faults.kills.count == 2, "a whole-cluster crash and restart")
    }
}
