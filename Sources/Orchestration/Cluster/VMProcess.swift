import Foundation
import Settings
import SystemCalls

/// One `vmserver run` child process of a cluster, with its settings as environment variables.
final class VMProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched from the cluster runner's task; Foundation's Process
    // is itself thread-safe for the calls made here (terminate, processIdentifier, isRunning).
    let vmID: Int
    let port: Int
    let controlPort: Int
    let environment: [String: String]
    let logPath: String
    private let process = Process()

    init(vmID: Int, port: Int, controlPort: Int, environment: [String: String], logPath: String) {
        self.vmID = vmID
        self.port = port
        self.controlPort = controlPort
        self.environment = environment
        self.logPath = logPath
    }

    /// Starts `executable run` with this VM's settings and the run's `peerSecret` (kept out of
    /// `environment`, which the run folder records); its diagnostics go to `stderrPath`.
    func launch(executable: String, stderrPath: String, peerSecret: String) throws {
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["run"]
        // The VM's settings are `environment` and the run's secret; only LOG_LEVEL may come from
        // this process (LOG_LEVEL=debug vmserver cluster ...), and LocalCluster has checked it.
        var inherited = ProcessInfo.processInfo.environment.filter {
            !VMSettings.names.contains($0.key) || $0.key == "LOG_LEVEL"
        }
        inherited.merge(environment) { $1 }
        inherited["PEER_SECRET"] = peerSecret
        process.environment = inherited
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var processID: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var exitCode: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Asks the VM to stop cleanly (SIGTERM). A VM that has already exited is left alone.
    func terminate() {
        if process.isRunning { try? ProcessSignal.terminate.send(to: process.processIdentifier) }
    }

    /// Ends the VM at once (SIGKILL), as a crash would. A VM that has already exited is left alone.
    func kill9() {
        if process.isRunning { try? ProcessSignal.kill.send(to: process.processIdentifier) }
    }
}
