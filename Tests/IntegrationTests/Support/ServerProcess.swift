import Foundation
import Settings

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One child process of a test (a `vmserver` command), with its standard output and error in files.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: Foundation's Process is safe for the calls made here (isRunning, processIdentifier,
    // terminationStatus); everything else is immutable.

    /// How a process ended, or that it has not (yet).
    enum Exit: Equatable, CustomStringConvertible {
        case code(Int32)
        case signal(Int32)
        case stillRunning

        var description: String {
            switch self {
            case .code(let code): "exit code \(code)"
            case .signal(let signal): "killed by signal \(signal)"
            case .stillRunning: "still running"
            }
        }
    }

    let name: String
    let stdoutPath: String
    let stderrPath: String
    private let process = Process()

    /// Starts `executable arguments...` with `environment` added to this process's environment
    /// (minus every VM setting and LOG_LEVEL, so the test's own environment cannot leak in).
    init(name: String, executable: String, arguments: [String], environment: [String: String], folder: URL) throws {
        self.name = name
        stdoutPath = folder.appendingPathComponent("\(name).stdout").path
        stderrPath = folder.appendingPathComponent("\(name).stderr").path
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment.filter {
            !VMSettings.names.contains($0.key) && $0.key != "LOG_LEVEL"
        }
        inherited.merge(environment) { $1 }
        process.environment = inherited
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    var exit: Exit {
        if process.isRunning { return .stillRunning }
        return process.terminationReason == .exit
            ? .code(process.terminationStatus) : .signal(process.terminationStatus)
    }

    /// Sends `signal` if the process is still running.
    func send(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// Asks for a clean stop.
    func terminate() { send(SIGTERM) }

    /// Ends the process at once, like a crash.
    func kill9() { send(SIGKILL) }

    /// Waits (polling, at most `timeout`) for the process to end and returns how it ended.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Exit {
        _ = await poll(timeout: timeout) { !process.isRunning }
        return exit
    }

    /// Blocking variant for cleanup code that cannot be async.
    func waitForExitBlocking(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
    }

    var standardError: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var standardOutput: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// The non-empty lines of standard error.
    var standardErrorLines: [String] {
        standardError.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}
