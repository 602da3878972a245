import EventLog
import Foundation
import NIOConcurrencyHelpers
import Settings
import SystemCalls

/// One `vmserver run` child process of a cluster, with its settings as environment variables.
///
/// A plan may kill it (SIGKILL) and start it again: a Foundation `Process` runs once, so a
/// restart is a new `Process` with the same settings, the same `LOG_DIR` (the VM continues its
/// log) and the same diagnostics file (appended to).
final class VMProcess: @unchecked Sendable {
    // @unchecked: the mutable state is in `state`, behind its lock; Foundation's Process is
    // itself thread-safe for the calls made here (terminate, processIdentifier, isRunning).
    let vmID: Int
    let port: Int
    let controlPort: Int
    let environment: [String: String]
    let logPath: String
    private let state = NIOLockedValueBox(State())

    /// Where the VM is in its life, as far as the plan is concerned.
    enum Condition: Sendable, Equatable {
        /// Started and not killed by the plan (it may still have exited by itself).
        case started
        /// Killed by the plan and not started again.
        case killedByPlan
        /// Started again after a planned kill, not yet seen running.
        case restarting
    }

    private struct State {
        var process = Process()
        var condition = Condition.started
        var launch: (executable: String, stderrPath: String, peerSecret: String)?
    }

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
        let process = try start(executable: executable, stderrPath: stderrPath, peerSecret: peerSecret)
        state.withLockedValue { state in
            state.process = process
            state.launch = (executable, stderrPath, peerSecret)
        }
    }

    /// Starts the VM again after a planned kill, as `launch` did, its diagnostics appended to the
    /// same file after a line saying so; it is `restarting` until `markRunning()`.
    func relaunch() throws {
        guard let launch = state.withLockedValue({ $0.launch }) else { return }
        if let file = FileHandle(forWritingAtPath: launch.stderrPath) {
            file.seekToEndOfFile()
            var formatter = RFC3339Formatter()
            file.write(Data("vmserver: vm\(vmID) restarted by the plan at \(formatter.string(.now()))\n".utf8))
            try? file.close()
        }
        let process = try start(
            executable: launch.executable, stderrPath: launch.stderrPath, peerSecret: launch.peerSecret)
        state.withLockedValue { state in
            state.process = process
            state.condition = .restarting
        }
    }

    private func start(executable: String, stderrPath: String, peerSecret: String) throws -> Process {
        let process = Process()
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
        let diagnostics = FileHandle(forWritingAtPath: stderrPath)
        diagnostics?.seekToEndOfFile()
        process.standardError = diagnostics
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private var process: Process { state.withLockedValue { $0.process } }
    var condition: Condition { state.withLockedValue { $0.condition } }
    var processID: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    /// How the process ended; nil while it runs.
    var ending: VMExit? {
        let process = process
        guard !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal
            ? .signal(process.terminationStatus) : .code(process.terminationStatus)
    }
    /// Whether the process has ended without the plan having killed it: a failure.
    var exitedUnplanned: Bool { condition != .killedByPlan && !isRunning }

    /// A restarted VM has been seen running.
    func markRunning() {
        state.withLockedValue { state in
            if state.condition == .restarting { state.condition = .started }
        }
    }

    /// Asks the VM to stop cleanly (SIGTERM). A VM that has already exited is left alone.
    func terminate() {
        let process = process
        if process.isRunning { try? ProcessSignal.terminate.send(to: process.processIdentifier) }
    }

    /// Ends the VM at once (SIGKILL), as a crash would. A VM that has already exited is left alone.
    func kill9() {
        let process = process
        if process.isRunning { try? ProcessSignal.kill.send(to: process.processIdentifier) }
    }

    /// Kills the VM as the plan says: marked `killedByPlan` first, so its exit is no failure, then
    /// SIGKILL.
    func killByPlan() {
        state.withLockedValue { $0.condition = .killedByPlan }
        kill9()
    }
}
