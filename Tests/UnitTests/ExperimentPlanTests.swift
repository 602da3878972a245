import Foundation
import Testing

@testable import Orchestration
@testable import Settings

/// `ExperimentPlan.load`: the shipped plans load as documented; a bad plan is a `SettingsError`
/// naming what is wrong.
@Suite struct ExperimentPlanTests {
    /// The package root, found from this file's path (Tests/UnitTests/<file>).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func shipped(_ name: String) -> String {
        packageRoot.appendingPathComponent("experiments/\(name)").path
    }

    @Test("experiments/classic.yaml: 3 VMs, 5 trials of three 60 s phases")
    func classic() throws {
        let plan = try ExperimentPlan.load(path: Self.shipped("classic.yaml"))
        #expect(plan.name == "classic")
        #expect(plan.vms == 3)
        #expect(plan.trials == 5)
        #expect(plan.seed == 1)
        #expect(plan.description?.isEmpty == false)
        #expect(plan.phases.map(\.name) == ["random rates 1-6", "rates 2-3", "fewer internal events"])
        #expect(plan.phases.map(\.duration) == [60, 60, 60])
        #expect(plan.phases.map(\.tickRates) == [.random(1...6), .random(2...3), .random(1...6)])
        #expect(plan.phases.map(\.maxAction) == [10, nil, 5])
        #expect(plan.phases.allSatisfy { $0.paused.isEmpty })
        #expect(plan.trialDuration == 180)
    }

    @Test("experiments/quick.yaml: 1 trial of three 15 s phases")
    func quick() throws {
        let plan = try ExperimentPlan.load(path: Self.shipped("quick.yaml"))
        #expect(plan.name == "quick")
        #expect(plan.vms == 3)
        #expect(plan.trials == 1)
        #expect(plan.seed == 7)
        #expect(plan.phases.map(\.duration) == [15, 15, 15])
        #expect(plan.phases.map(\.tickRates) == [.random(1...6), .random(2...3), .random(1...6)])
        #expect(plan.phases.map(\.maxAction) == [10, nil, 5])
    }

    @Test("experiments/pause-one.json: fixed rates, then VM 2 paused, then all running")
    func pauseOne() throws {
        let plan = try ExperimentPlan.load(path: Self.shipped("pause-one.json"))
        #expect(plan.name == "pause-one")
        #expect(plan.vms == 3)
        #expect(plan.trials == 2)
        #expect(plan.seed == 11)
        #expect(plan.phases.map(\.name) == ["all running", "vm2 paused", "all running again"])
        #expect(plan.phases.map(\.duration) == [10, 10, 10])
        #expect(plan.phases[0].tickRates == .fixed([.perSecond(2), .perSecond(4), .perSecond(6)]))
        #expect(plan.phases[1].tickRates == nil && plan.phases[2].tickRates == nil)
        #expect(plan.phases.map(\.paused) == [[], [2], []])
        #expect(plan.phases.allSatisfy { $0.maxAction == nil })
    }

    @Test("defaults: 3 VMs, 1 trial, phases named by number, the name from the file")
    func defaults() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("tiny-plan.yaml")
        try "phases:\n  - duration: 2\n  - duration: 1.5\n    tick_rates: [1, 2.5, max]\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let plan = try ExperimentPlan.load(path: path)
        #expect(plan.name == "tiny-plan")
        #expect(plan.vms == 3 && plan.trials == 1 && plan.seed == nil)
        #expect(plan.phases.map(\.name) == ["phase 1", "phase 2"])
        #expect(plan.phases[0].tickRates == nil)
        #expect(plan.phases[1].tickRates == .fixed([.perSecond(1), .perSecond(2.5), .unthrottled]))
        #expect(plan.trialDuration == 3.5)
    }

    struct BadPlan: Sendable, CustomTestStringConvertible {
        var label: String
        var file: String
        var text: String
        /// The `setting` the error must name.
        var setting: String
        /// Words its message must contain.
        var mentions: [String] = []

        var testDescription: String { label }
    }

    static let badPlans = [
        BadPlan(label: "no phases", file: "p.yaml", text: "vms: 3\nphases: []\n", setting: "phases"),
        BadPlan(
            label: "duration 0", file: "p.yaml", text: "phases:\n  - duration: 5\n  - duration: 0\n",
            setting: "phases[1].duration"),
        BadPlan(
            label: "max_action below vms", file: "p.yaml",
            text: "vms: 4\nphases:\n  - duration: 5\n    max_action: 3\n",
            setting: "phases[0].max_action", mentions: ["4", "3"]),
        BadPlan(
            label: "paused VM outside 1..vms", file: "p.yaml",
            text: "vms: 3\nphases:\n  - duration: 5\n    paused: [4]\n",
            setting: "phases[0].paused", mentions: ["4"]),
        BadPlan(
            label: "paused VM 0", file: "p.json", text: #"{"phases": [{"duration": 5, "paused": [0]}]}"#,
            setting: "phases[0].paused"),
        BadPlan(
            label: "tick_rates of the wrong length", file: "p.yaml",
            text: "vms: 3\nphases:\n  - duration: 5\n    tick_rates: [1, 2]\n", setting: "phases[0].tick_rates",
            mentions: ["3", "2"]),
        BadPlan(
            label: "tick_rates fast", file: "p.yaml", text: "phases:\n  - duration: 5\n    tick_rates: fast\n",
            setting: "phases[0].tick_rates", mentions: ["fast"]),
        BadPlan(
            label: "tick_rates with a word in the list", file: "p.yaml",
            text: "phases:\n  - duration: 5\n    tick_rates: [1, fast, 3]\n", setting: "phases[0].tick_rates",
            mentions: ["fast"]),
        BadPlan(
            label: "tick_rates range upside down", file: "p.yaml",
            text: "phases:\n  - duration: 5\n    tick_rates: {min: 5, max: 2}\n", setting: "phases[0].tick_rates"),
        BadPlan(
            label: "bad YAML syntax", file: "p.yaml", text: "phases:\n  - duration: [5\n    tick_rates: random\n",
            setting: "PLAN", mentions: ["p.yaml"]),
        BadPlan(
            label: "bad JSON syntax", file: "p.json", text: #"{"phases": [{"duration": 5}"#, setting: "PLAN",
            mentions: ["p.json"]),
        BadPlan(
            label: "missing duration", file: "p.yaml", text: "phases:\n  - name: first\n    tick_rates: random\n",
            setting: "PLAN", mentions: ["duration"]),
        BadPlan(label: "vms 0", file: "p.yaml", text: "vms: 0\nphases:\n  - duration: 5\n", setting: "vms"),
        BadPlan(label: "trials 0", file: "p.yaml", text: "trials: 0\nphases:\n  - duration: 5\n", setting: "trials"),
        // Outside the stated ranges, including numbers that once trapped converting to Int.
        BadPlan(
            label: "vms 21", file: "p.yaml", text: "vms: 21\nphases:\n  - duration: 5\n", setting: "vms",
            mentions: ["from 1 to 20"]),
        BadPlan(
            label: "trials 101", file: "p.yaml", text: "trials: 101\nphases:\n  - duration: 5\n", setting: "trials",
            mentions: ["from 1 to 100"]),
        BadPlan(
            label: "duration 1e10", file: "p.yaml", text: "phases:\n  - duration: 1e10\n",
            setting: "phases[0].duration", mentions: ["31536000"]),
        BadPlan(
            label: "duration .inf", file: "p.yaml", text: "phases:\n  - duration: .inf\n",
            setting: "phases[0].duration"),
        BadPlan(
            label: "duration -1", file: "p.json", text: #"{"phases": [{"duration": -1}]}"#,
            setting: "phases[0].duration"),
        BadPlan(
            label: "duration 0.0001", file: "p.yaml", text: "phases:\n  - duration: 0.0001\n",
            setting: "phases[0].duration"),
        BadPlan(
            label: "max_action above 1000000", file: "p.yaml",
            text: "phases:\n  - duration: 5\n    max_action: 1000001\n", setting: "phases[0].max_action",
            mentions: ["1000000"]),
        BadPlan(
            label: "tick_rates 1e300 in a list", file: "p.yaml",
            text: "phases:\n  - duration: 5\n    tick_rates: [1e300, 1, 2]\n", setting: "phases[0].tick_rates"),
        BadPlan(
            label: "tick_rates .inf in a list", file: "p.yaml",
            text: "phases:\n  - duration: 5\n    tick_rates: [.inf, 1, 2]\n", setting: "phases[0].tick_rates"),
        BadPlan(
            label: "tick_rates range above 1000000", file: "p.yaml",
            text: "phases:\n  - duration: 5\n    tick_rates: {min: 1, max: 2000000}\n",
            setting: "phases[0].tick_rates", mentions: ["1000000"]),
        BadPlan(
            label: "seed so high that a later trial's seed is out of range", file: "p.yaml",
            text: "trials: 3\nseed: 9007199254740990\nphases:\n  - duration: 5\n", setting: "seed",
            mentions: ["9007199254740989"]),
        BadPlan(
            label: "vms too large for an integer", file: "p.yaml",
            text: "vms: 99999999999999999999\nphases:\n  - duration: 5\n", setting: "PLAN", mentions: ["vms"]),
    ]

    @Test("a bad plan is a SettingsError naming the field", arguments: badPlans)
    func rejected(_ bad: BadPlan) throws {
        let folder = try TemporaryFolder()
        let path = folder.file(bad.file)
        try bad.text.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: SettingsError.self) { try ExperimentPlan.load(path: path) }
        #expect(error.setting == bad.setting, "\(error)")
        for word in bad.mentions {
            #expect(error.description.contains(word), "\(error) should mention \(word)")
        }
        #expect(!error.description.contains("\n"), "one line: \(error)")
    }

    @Test("a plan file that does not exist names PLAN and the path")
    func missingFile() throws {
        let error = try #require(throws: SettingsError.self) {
            try ExperimentPlan.load(path: "/nonexistent/plan.yaml")
        }
        #expect(error.setting == "PLAN")
        #expect(error.message.contains("/nonexistent/plan.yaml"))
    }
}
