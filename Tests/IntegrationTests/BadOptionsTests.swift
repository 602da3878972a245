import Foundation
import Testing

@testable import Orchestration

/// The numeric options of `cluster`, `simulate`, `bench`, `compose` and experiment plans: anything outside the
/// stated range exits 2 with one line naming the option and what it accepts, before anything starts.
@Suite(.serialized)
struct BadOptionsTests {
    struct BadOption: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// The option (or plan key) the line must name.
        var names: String

        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let badOptions = [
        BadOption(arguments: ["cluster", "--vms", "1000001"], names: "--vms"),
        BadOption(arguments: ["cluster", "--vms", "0"], names: "--vms"),
        BadOption(arguments: ["cluster", "--vms", "-1"], names: "--vms"),
        BadOption(arguments: ["cluster", "--vms", "many"], names: "--vms"),
        BadOption(arguments: ["cluster", "--duration", "1e300"], names: "--duration"),
        BadOption(arguments: ["cluster", "--duration", "inf"], names: "--duration"),
        BadOption(arguments: ["cluster", "--duration", "-5"], names: "--duration"),
        BadOption(arguments: ["cluster", "--seed", "-1"], names: "--seed"),
        BadOption(arguments: ["cluster", "--seed", "9007199254740992"], names: "--seed"),
        BadOption(arguments: ["cluster", "--max-action", "2"], names: "--max-action"),
        BadOption(arguments: ["cluster", "--max-action", "1e9"], names: "--max-action"),
        BadOption(arguments: ["simulate", "--duration", "1e300", "--out", "sim"], names: "--duration"),
        BadOption(arguments: ["simulate", "--latency", "-1", "--out", "sim"], names: "--latency"),
        BadOption(arguments: ["simulate", "--latency", "9223372036854775807", "--out", "sim"], names: "--latency"),
        BadOption(arguments: ["simulate", "--seed", "-1", "--out", "sim"], names: "--seed"),
        BadOption(arguments: ["simulate", "--max-action", "99999999999", "--out", "sim"], names: "--max-action"),
        BadOption(arguments: ["bench", "--vms", "0"], names: "--vms"),
        BadOption(arguments: ["bench", "--vms", "101"], names: "--vms"),
        BadOption(arguments: ["bench", "--seconds", "1e300"], names: "--seconds"),
        BadOption(arguments: ["bench", "--seconds", "nan"], names: "--seconds"),
        BadOption(arguments: ["bench", "--core-events", "0"], names: "--core-events"),
        BadOption(arguments: ["bench", "--core-events", "-3"], names: "--core-events"),
        BadOption(arguments: ["compose", "--vms", "0"], names: "--vms"),
        BadOption(arguments: ["compose", "--vms", "10001"], names: "--vms"),
        BadOption(arguments: ["compose", "--vms", "10", "--port", "65530"], names: "--port"),
        BadOption(arguments: ["compose", "--vms", "3", "--control-port", "65535"], names: "--control-port"),
    ]

    @Test("a numeric option outside its range exits 2 with one line naming it", arguments: badOptions)
    func rejected(_ bad: BadOption) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        // Relative folders (sim, the cluster's runs/...) land in the workspace, never in the package.
        let arguments = bad.arguments.map { $0 == "sim" ? workspace.path("sim") : $0 }
        let process = try await workspace.run(
            "command", arguments + (bad.arguments[0] == "cluster" ? ["--out", workspace.path("run")] : []),
            timeout: .seconds(30))
        #expect(process.exit == .code(2), "\(process.exit): \(process.standardError)")
        #expect(process.standardErrorLines.count == 1, "one line:\n\(process.standardError)")
        let line = process.standardErrorLines.first ?? ""
        #expect(line.hasPrefix("vmserver: invalid \(bad.names): expected "), "\(line)")
        #expect(process.standardOutput.isEmpty, "nothing started: \(process.standardOutput)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("run")), "no run folder")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("sim")), "no simulation folder")
    }

    @Test(
        "an option the parser does not know, or one without its value, exits 2 with one line naming it",
        arguments: [
            BadOption(arguments: ["collect", "--bogus"], names: "'--bogus'"),
            BadOption(arguments: ["analyze"], names: "'<run-directory>'"),
            BadOption(arguments: ["compose", "--vms"], names: "'--vms <vms>'"),
            BadOption(arguments: ["cluster", "--vms", "2", "x"], names: "'x'"),
        ])
    func unknownOption(_ bad: BadOption) async throws {
        let arguments = bad.arguments
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let process = try await workspace.run("command", arguments, timeout: .seconds(30))
        #expect(process.exit == .code(2), "\(process.exit): \(process.standardError)")
        #expect(process.standardErrorLines.count == 1, "one line:\n\(process.standardError)")
        let line = process.standardErrorLines.first ?? ""
        #expect(line.hasPrefix("vmserver: "), "\(line)")
        #expect(line.contains(bad.names), "names it: \(line)")
        #expect(process.standardOutput.isEmpty, "\(process.standardOutput)")
    }

    @Test(
        "a bad LOG_LEVEL, which the VMs of cluster, experiment and bench inherit, exits 2 with one line first",
        arguments: ["cluster", "experiment", "bench"])
    func badInheritedLogLevel(command: String) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let plan = workspace.path("plan.yaml")
        try "vms: 2\nphases:\n  - duration: 1\n".write(toFile: plan, atomically: true, encoding: .utf8)
        let arguments: [String] =
            switch command {
            case "cluster": ["cluster", "--vms", "2", "--duration", "1"]
            case "experiment": ["experiment", plan]
            default: ["bench", "--core-events", "3", "--vms", "2", "--seconds", "1"]
            }
        let process = try workspace.start(
            command, arguments: arguments + ["--out", workspace.path("run")], environment: ["LOG_LEVEL": "verbose"])
        #expect(await process.waitForExit() == .code(2), "\(describe([process]))")
        #expect(process.standardErrorLines.count == 1, "\(process.standardError)")
        #expect(process.standardErrorLines.first?.hasPrefix("vmserver: invalid LOG_LEVEL: expected one of ") == true)
        #expect(process.standardOutput.isEmpty, "\(process.standardOutput)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("run")), "no run folder")
    }

    @Test("cluster --help says what limits --vms, and what --seed fixes and what not")
    func clusterHelp() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let help = try await workspace.run("help", ["cluster", "--help"])
        #expect(help.exit == .code(0))
        let text = help.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("a cluster beyond that is refused, naming the resource that is short"), "\(text)")
        #expect(text.contains("--seed fixes each VM's rolls"), "\(text)")
        #expect(text.contains("It does not fix how messages interleave with ticks"), "\(text)")
    }

    static let badPlans = [
        BadOption(arguments: ["phases:\n  - duration: 1e300\n"], names: "phases[0].duration"),
        BadOption(arguments: ["phases:\n  - duration: .inf\n"], names: "phases[0].duration"),
        BadOption(
            arguments: ["phases:\n  - duration: 5\n    tick_rates: [1e300, 2, 3]\n"], names: "phases[0].tick_rates"),
        BadOption(arguments: ["phases:\n  - duration: 5\n    max_action: 1000000000\n"], names: "phases[0].max_action"),
        BadOption(arguments: ["vms: 21\nphases:\n  - duration: 5\n"], names: "vms"),
        BadOption(arguments: ["trials: 2\nseed: 9007199254740991\nphases:\n  - duration: 5\n"], names: "seed"),
    ]

    @Test("a plan number outside its range exits 2 with one line naming the key", arguments: badPlans)
    func badPlan(_ bad: BadOption) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let plan = workspace.path("plan.yaml")
        try bad.arguments[0].write(toFile: plan, atomically: true, encoding: .utf8)
        let process = try await workspace.run("experiment", ["experiment", plan, "--out", workspace.path("out")])
        #expect(process.exit == .code(2), "\(process.exit): \(process.standardError)")
        #expect(process.standardErrorLines.count == 1, "one line:\n\(process.standardError)")
        #expect(
            process.standardErrorLines.first?.hasPrefix("vmserver: invalid \(bad.names): ") == true,
            "\(process.standardError)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out")), "nothing started")
    }
}
