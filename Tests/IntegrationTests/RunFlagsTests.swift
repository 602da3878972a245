import Foundation
import Testing

@testable import Orchestration
@testable import Settings

/// `vmserver run` takes every setting as a flag too (README "Settings"), and the flag wins.
@Suite(.serialized)
struct RunFlagsTests {
    @Test("vmserver run --help lists a flag for every setting")
    func helpListsEveryFlag() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let help = try await workspace.run("help", ["run", "--help"])
        #expect(help.exit == .code(0))
        for name in VMSettings.names {
            let flag = VMSettings.flag(of: name)
            #expect(help.standardOutput.contains("\(flag) <"), "\(flag) missing from:\n\(help.standardOutput)")
            #expect(help.standardOutput.contains("\(name):"), "the help of \(flag) should name \(name)")
        }
    }

    @Test("every flag wins over its environment variable: bad values in the environment, good flags, the VM runs")
    func flagsWin() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let ports = try FreePorts.allocate(4)
        // Every variable set to something this VM could not run with (or a different good value).
        let environment = [
            "VM_ID": "2", "PORT": "70000", "PEERS": #"{"3": 5003}"#, "TICK_RATE": "0", "RUN_TIME": "nan",
            "LOG_DIR": workspace.path("env-logs"), "TOTAL_VMS": "3", "STARTUP_TIMEOUT": "-1", "MAX_ACTION": "0",
            "SEED": "-1", "HOST": "203.0.113.7", "CONTROL_PORT": String(ports[2]), "CONTROL_HOST": "203.0.113.7",
            "CONTROL_TOKEN": "from-the-environment", "PEER_SECRET": "from-the-environment", "LOG_LEVEL": "verbose",
            "SERVE_AFTER_STOP": "soon", "TOPOLOGY": "star",
        ]
        #expect(Set(environment.keys) == Set(VMSettings.names), "the test covers every setting")
        let flags: [String: String] = [
            "VM_ID": "1", "PORT": String(ports[0]), "PEERS": "{}", "TICK_RATE": "7", "RUN_TIME": "3600",
            "LOG_DIR": workspace.path("flag-logs"), "TOTAL_VMS": "1", "STARTUP_TIMEOUT": "30", "MAX_ACTION": "12",
            "SEED": "42", "HOST": "127.0.0.1", "CONTROL_PORT": String(ports[1]), "CONTROL_HOST": "127.0.0.1",
            "CONTROL_TOKEN": "from-the-flag", "PEER_SECRET": "from-the-flag", "LOG_LEVEL": "error",
            // The SIGTERM at the end ends SERVE_AFTER_STOP at once.
            "SERVE_AFTER_STOP": "600", "TOPOLOGY": "ring",
        ]
        #expect(Set(flags.keys) == Set(VMSettings.names))
        let arguments = ["run"] + flags.sorted { $0.key < $1.key }.flatMap { [VMSettings.flag(of: $0.key), $0.value] }
        let vm = try workspace.start("vm", arguments: arguments, environment: environment)
        let control = ControlClient(port: ports[1])
        let running = await poll { !vm.isRunning || (try? control.status().state) == "running" }
        try #require(running && vm.isRunning, "\(describe([vm]))")

        let config = try control.config()
        #expect(config.vmId == 1 && config.totalVms == 1 && config.port == ports[0])
        #expect(config.tickRate == .number(7) && config.maxAction == 12 && config.seed == 42)
        #expect(config.runTimeS == 3600 && config.peers.isEmpty)
        #expect(config.logDir == workspace.path("flag-logs"))
        #expect(FileManager.default.fileExists(atPath: workspace.path("flag-logs/vm1.jsonl")))
        #expect(try control.change(#"{"max_action": 13}"#, token: "from-the-environment").status == 401)
        #expect(try control.change(#"{"max_action": 13}"#, token: "from-the-flag").status == 200)
        // LOG_LEVEL error from the flag: none of the info lines a VM writes at its start.
        #expect(!vm.standardError.contains(" info "), "\(vm.standardError)")

        vm.terminate()
        #expect(await vm.waitForExit() == .code(0), "\(describe([vm]))")
    }
}
