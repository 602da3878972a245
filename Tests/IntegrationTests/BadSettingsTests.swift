import Foundation
import Testing

@testable import Orchestration

/// A setting `vmserver run` cannot use: exit code 2 and one line on standard error naming it.
@Suite(.serialized)
struct BadSettingsTests {
    struct BadSetting: Sendable, CustomTestStringConvertible {
        var label: String
        /// The setting the error line must name.
        var setting: String
        /// Changes to the good environment; nil removes the variable.
        var changes: [String: String?]
        var flags: [String] = []

        var testDescription: String { label }
    }

    static let cases = [
        BadSetting(label: "PEERS not JSON", setting: "PEERS", changes: ["PEERS": "{oops"]),
        BadSetting(label: "TICK_RATE 0", setting: "TICK_RATE", changes: ["TICK_RATE": "0"]),
        BadSetting(label: "TICK_RATE -1", setting: "TICK_RATE", changes: ["TICK_RATE": "-1"]),
        BadSetting(label: "TICK_RATE abc", setting: "TICK_RATE", changes: ["TICK_RATE": "abc"]),
        BadSetting(
            label: "MAX_ACTION below TOTAL_VMS", setting: "MAX_ACTION", changes: ["MAX_ACTION": "2", "TOTAL_VMS": "3"]),
        BadSetting(label: "PORT 70000", setting: "PORT", changes: ["PORT": "70000"]),
        BadSetting(label: "PORT missing", setting: "PORT", changes: ["PORT": nil]),
        BadSetting(label: "VM_ID missing", setting: "VM_ID", changes: ["VM_ID": nil]),
        BadSetting(label: "RUN_TIME -5", setting: "RUN_TIME", changes: ["RUN_TIME": "-5"]),
        BadSetting(
            label: "--tick-rate 0 overrides a good TICK_RATE", setting: "TICK_RATE", changes: [:],
            flags: ["--tick-rate", "0"]),
        // Values that once trapped converting seconds to Int64 nanoseconds (exit 132, a backtrace).
        BadSetting(label: "RUN_TIME 1e10", setting: "RUN_TIME", changes: ["RUN_TIME": "1e10"]),
        BadSetting(label: "RUN_TIME 1e308", setting: "RUN_TIME", changes: ["RUN_TIME": "1e308"]),
        BadSetting(label: "RUN_TIME inf", setting: "RUN_TIME", changes: ["RUN_TIME": "inf"]),
        BadSetting(label: "RUN_TIME nan", setting: "RUN_TIME", changes: ["RUN_TIME": "nan"]),
        BadSetting(label: "STARTUP_TIMEOUT 1e10", setting: "STARTUP_TIMEOUT", changes: ["STARTUP_TIMEOUT": "1e10"]),
        BadSetting(label: "STARTUP_TIMEOUT 1e308", setting: "STARTUP_TIMEOUT", changes: ["STARTUP_TIMEOUT": "1e308"]),
        BadSetting(label: "STARTUP_TIMEOUT inf", setting: "STARTUP_TIMEOUT", changes: ["STARTUP_TIMEOUT": "inf"]),
        BadSetting(label: "STARTUP_TIMEOUT nan", setting: "STARTUP_TIMEOUT", changes: ["STARTUP_TIMEOUT": "nan"]),
        BadSetting(label: "STARTUP_TIMEOUT -1", setting: "STARTUP_TIMEOUT", changes: ["STARTUP_TIMEOUT": "-1"]),
        BadSetting(label: "TICK_RATE 1e308", setting: "TICK_RATE", changes: ["TICK_RATE": "1e308"]),
        BadSetting(label: "MAX_ACTION 1e9", setting: "MAX_ACTION", changes: ["MAX_ACTION": "1000000000"]),
        BadSetting(label: "SEED 2^64", setting: "SEED", changes: ["SEED": "18446744073709551616"]),
        BadSetting(label: "TOTAL_VMS 10001", setting: "TOTAL_VMS", changes: ["TOTAL_VMS": "10001"]),
        BadSetting(label: "TOPOLOGY star", setting: "TOPOLOGY", changes: ["TOPOLOGY": "star"]),
        BadSetting(label: "--topology random:x", setting: "TOPOLOGY", changes: [:], flags: ["--topology", "random:x"]),
        BadSetting(
            label: "TOPOLOGY random:2 without SEED", setting: "TOPOLOGY",
            changes: ["TOPOLOGY": "random:2", "SEED": nil]),
        BadSetting(
            label: "TOPOLOGY random:1 for 5 VMs (cannot be connected)", setting: "TOPOLOGY",
            changes: ["TOPOLOGY": "random:1", "TOTAL_VMS": "5"]),
        BadSetting(
            label: "MAX_ACTION below a ring VM's neighbours + 1", setting: "MAX_ACTION",
            changes: ["TOPOLOGY": "ring", "TOTAL_VMS": "5", "MAX_ACTION": "2"]),
        BadSetting(label: "CONTROL_PORT -1", setting: "CONTROL_PORT", changes: ["CONTROL_PORT": "-1"]),
        BadSetting(label: "VM_ID 2^64", setting: "VM_ID", changes: ["VM_ID": "18446744073709551616"]),
        BadSetting(label: "--run-time 1e10", setting: "RUN_TIME", changes: [:], flags: ["--run-time", "1e10"]),
        BadSetting(
            label: "--startup-timeout -1 (a negative flag value)", setting: "STARTUP_TIMEOUT", changes: [:],
            flags: ["--startup-timeout", "-1"]),
        BadSetting(label: "--port -5", setting: "PORT", changes: [:], flags: ["--port", "-5"]),
        BadSetting(label: "LOG_LEVEL verbose", setting: "LOG_LEVEL", changes: ["LOG_LEVEL": "verbose"]),
        BadSetting(
            label: "--log-level loud overrides a good LOG_LEVEL", setting: "LOG_LEVEL", changes: ["LOG_LEVEL": "info"],
            flags: ["--log-level", "loud"]),
        BadSetting(
            label: "CONTROL_TOKEN with a newline", setting: "CONTROL_TOKEN", changes: ["CONTROL_TOKEN": "a\nb"]),
    ]

    /// A single VM that would run (and stop by itself after RUN_TIME, should a bad setting be accepted).
    static func goodEnvironment(_ workspace: TestWorkspace) throws -> [String: String] {
        let ports = try FreePorts.allocate(2)
        return [
            "VM_ID": "1", "PORT": String(ports[0]), "CONTROL_PORT": String(ports[1]), "TOTAL_VMS": "1",
            "PEERS": "{}", "TICK_RATE": "5", "RUN_TIME": "3", "SEED": "1", "LOG_DIR": workspace.path("logs"),
        ]
    }

    /// Runs `vmserver run` and returns how it ended and its standard error lines.
    static func run(
        _ workspace: TestWorkspace, environment: [String: String], flags: [String] = []
    ) async throws -> (exit: ServerProcess.Exit, stderr: [String]) {
        let vm = try workspace.start("vm", arguments: ["run"] + flags, environment: environment)
        let exit = await vm.waitForExit(timeout: .seconds(30))
        return (exit, vm.standardErrorLines)
    }

    @Test("a bad setting exits 2 with one line naming it", arguments: cases)
    func rejected(_ bad: BadSetting) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        var environment = try Self.goodEnvironment(workspace)
        for (name, value) in bad.changes { environment[name] = value }
        let (exit, stderr) = try await Self.run(workspace, environment: environment, flags: bad.flags)
        #expect(exit == .code(2), "\(stderr)")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.joined(separator: "\n"))")
        #expect(stderr.first?.contains(bad.setting) == true, "the line should name \(bad.setting): \(stderr)")
        #expect(stderr.first?.hasPrefix("vmserver: invalid \(bad.setting): ") == true, "\(stderr)")
    }

    @Test("a LOG_DIR that cannot be created exits 2 with one line naming LOG_DIR")
    func unwritableLogDirectory() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let file = workspace.path("a-file")
        try Data("not a folder\n".utf8).write(to: URL(fileURLWithPath: file))
        var environment = try Self.goodEnvironment(workspace)
        environment["LOG_DIR"] = "\(file)/logs"
        let (exit, stderr) = try await Self.run(workspace, environment: environment)
        #expect(exit == .code(2), "\(stderr)")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.joined(separator: "\n"))")
        #expect(stderr.first?.contains("LOG_DIR") == true, "\(stderr)")
    }

    @Test("a PORT another program listens on exits 2 with one line naming PORT, the number and the host")
    func portInUse() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let listener = try TCPListener()
        defer { listener.close() }
        var environment = try Self.goodEnvironment(workspace)
        environment["PORT"] = String(listener.port)
        let (exit, stderr) = try await Self.run(workspace, environment: environment)
        #expect(exit == .code(2), "\(stderr.prefix(3))")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.prefix(5).joined(separator: "\n"))")
        #expect(
            stderr.first
                == "vmserver: PORT \(listener.port) is already in use on 127.0.0.1 "
                + "(another VM or program is listening there); choose another PORT")
    }

    @Test("a CONTROL_PORT another program listens on exits 2 with one line naming CONTROL_PORT and the number")
    func controlPortInUse() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let listener = try TCPListener()
        defer { listener.close() }
        var environment = try Self.goodEnvironment(workspace)
        environment["CONTROL_PORT"] = String(listener.port)
        let (exit, stderr) = try await Self.run(workspace, environment: environment)
        #expect(exit == .code(2), "\(stderr.prefix(3))")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.prefix(5).joined(separator: "\n"))")
        #expect(
            stderr.first
                == "vmserver: CONTROL_PORT \(listener.port) is already in use on 127.0.0.1 "
                + "(another VM or program is listening there); choose another CONTROL_PORT")
    }

    @Test("a default CONTROL_PORT (PORT + 1000) in use is named as such")
    func derivedControlPortInUse() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let listener = try TCPListener()
        defer { listener.close() }
        try #require(listener.port > 1000)
        var environment = try Self.goodEnvironment(workspace)
        environment["PORT"] = String(listener.port - 1000)
        environment["CONTROL_PORT"] = nil
        let (exit, stderr) = try await Self.run(workspace, environment: environment)
        #expect(exit == .code(2), "\(stderr.prefix(3))")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.prefix(5).joined(separator: "\n"))")
        #expect(
            stderr.first?.hasPrefix("vmserver: CONTROL_PORT \(listener.port) (PORT + 1000) is already in use") == true,
            "\(stderr)")
    }

    @Test(
        "a HOST or CONTROL_HOST that is not this machine's, or no address at all, exits 2 with one line naming it",
        arguments: [
            ("HOST", "203.0.113.7", "is not an address of this machine"),
            ("HOST", "no-such-host.invalid", "is not an address or a known host name"),
            ("CONTROL_HOST", "no-such-host.invalid", "is not an address or a known host name"),
        ])
    func hostNotHere(setting: String, host: String, says: String) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        var environment = try Self.goodEnvironment(workspace)
        environment[setting] = host
        let (exit, stderr) = try await Self.run(workspace, environment: environment)
        #expect(exit == .code(2), "\(stderr.prefix(3))")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.prefix(5).joined(separator: "\n"))")
        #expect(stderr.first?.hasPrefix("vmserver: \(setting) \(host) \(says)") == true, "\(stderr)")
    }

    @Test("--host wins over a good HOST: exit 2 naming HOST when the flag's address is not this machine's")
    func hostFlagWins() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let (exit, stderr) = try await Self.run(
            workspace, environment: Self.goodEnvironment(workspace), flags: ["--host", "203.0.113.7"])
        #expect(exit == .code(2))
        #expect(stderr.count == 1 && stderr.first?.hasPrefix("vmserver: HOST 203.0.113.7 ") == true, "\(stderr)")
    }

    @Test("STARTUP_TIMEOUT passing without the peers exits 2 with a line naming the missing VMs")
    func startupTimeout() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        var environment = try Self.goodEnvironment(workspace)
        environment["TOTAL_VMS"] = "3"
        environment["STARTUP_TIMEOUT"] = "1"
        let (exit, stderr) = try await Self.run(workspace, environment: environment)
        #expect(exit == .code(2), "\(stderr)")
        let problems = stderr.filter { $0.contains("STARTUP_TIMEOUT") }
        #expect(problems.contains { $0.hasPrefix("vmserver:") && $0.contains("2, 3") }, "\(stderr)")
        // Info diagnostics ("listening for peers ...") may come first; the problem itself is one line.
        #expect(problems.count == 1, "the problem once:\n\(stderr.joined(separator: "\n"))")
    }
}
