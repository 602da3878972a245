import ArgumentParser
import Foundation
import Logging
import Settings
import SystemCalls
import VMRuntime

/// `vmserver run`: one VM. Every flag is also an environment variable (the flag wins).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one VM (settings from the environment, or these flags).",
        discussion: """
            Example, the seed's third terminal:
              VM_ID=3 PORT=5003 PEERS='{"1": 5001, "2": 5002}' vmserver

            Each flag is also the environment variable it names; the flag wins. A value outside its \
            range exits 2 with one line naming the setting.
            """)

    @Option(
        parsing: .unconditional,
        help: "VM_ID: this VM's id, an integer from 1 to TOTAL_VMS, or auto (host name vm-0 is VM 1).")
    var vmId: String?
    @Option(parsing: .unconditional, help: "PORT: TCP port for peers, 1-65535.") var port: String?
    @Option(help: #"PEERS: JSON object of peers to dial, id -> port or "host:port"; its own id is ignored."#)
    var peers: String?
    @Option(
        parsing: .unconditional,
        help: "TICK_RATE: ticks per second, 0.001-1000000 (fractions allowed), or 'max'; default random 1-6 from SEED.")
    var tickRate: String?
    @Option(
        parsing: .unconditional,
        help: "RUN_TIME: seconds to run, then stop cleanly, 0.001-31536000; 0 = until stopped (default).")
    var runTime: String?
    @Option(help: "LOG_DIR: folder for the event log (default ./logs).") var logDir: String?
    @Option(parsing: .unconditional, help: "TOTAL_VMS: cluster size to wait for before ticking, 1-1000 (default 3).")
    var totalVms: String?
    @Option(
        parsing: .unconditional, help: "STARTUP_TIMEOUT: seconds to wait for all peers, 0.001-31536000 (default 30).")
    var startupTimeout: String?
    @Option(
        parsing: .unconditional,
        help: "MAX_ACTION: idle ticks roll 1...MAX_ACTION, from TOTAL_VMS to 1000000 (default 10).")
    var maxAction: String?
    @Option(
        parsing: .unconditional,
        help: "SEED: seed of the random generator, 0-\(VMSettings.maximumSeed) (default random, logged).")
    var seed: String?
    @Option(help: "HOST: address the peer listener binds (default 127.0.0.1).") var host: String?
    @Option(
        parsing: .unconditional,
        help: "CONTROL_PORT: HTTP control plane port, 0-65535, 0 = any free port (default PORT + 1000).")
    var controlPort: String?
    @Option(help: "CONTROL_HOST: address the control plane binds (default 127.0.0.1).") var controlHost: String?
    @Option(help: "CONTROL_TOKEN: bearer token required for PUT/PATCH/POST.") var controlToken: String?
    @Option(
        help: "PEER_SECRET: shared secret every peer handshake must prove (prefer the variable: flags show in ps).")
    var peerSecret: String?
    @Option(help: "LOG_LEVEL: diagnostics on stderr: trace, debug, info (default), notice, warning, error, critical.")
    var logLevel: String?
    @Option(
        parsing: .unconditional,
        help:
            "SERVE_AFTER_STOP: seconds the control plane stays up after the stop (for vmserver collect), 0.001-31536000; 0 = exit at once (default)."
    )
    var serveAfterStop: String?
    @Option(
        parsing: .unconditional,
        help:
            "TOPOLOGY: which VMs are linked: full (default), ring, grid, random:K (needs SEED), or a JSON object of id -> [ids]."
    )
    var topology: String?

    /// The flags given, by setting name; every name in `VMSettings.names` has its flag here.
    var flags: [String: String?] {
        [
            "VM_ID": vmId, "PORT": port, "PEERS": peers, "TICK_RATE": tickRate, "RUN_TIME": runTime,
            "LOG_DIR": logDir, "TOTAL_VMS": totalVms, "STARTUP_TIMEOUT": startupTimeout, "MAX_ACTION": maxAction,
            "SEED": seed, "HOST": host, "CONTROL_PORT": controlPort, "CONTROL_HOST": controlHost,
            "CONTROL_TOKEN": controlToken, "PEER_SECRET": peerSecret, "LOG_LEVEL": logLevel,
            "SERVE_AFTER_STOP": serveAfterStop, "TOPOLOGY": topology,
        ]
    }

    func run() async throws {
        var values = ProcessInfo.processInfo.environment.filter { VMSettings.names.contains($0.key) }
        for case (let name, let value?) in flags { values[name] = value }
        let settings: VMSettings
        do {
            settings = try VMSettings.resolve(values, hostName: HostName.current())
        } catch {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(VMExitCode.userProblem.rawValue)
        }
        bootstrapDiagnostics(level: settings.logLevel)
        let logger = Logger(label: "vm\(settings.vmID)")
        let code = await VirtualMachine.runProcess(settings: settings, logger: logger)
        if code != .clean { throw ExitCode(code.rawValue) }
    }
}

/// Diagnostics (not the event log) go to standard error, from `level` (LOG_LEVEL) up.
func bootstrapDiagnostics(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}
