import Foundation

/// A test's temporary folder and the processes it started. `cleanUp()` (call it in a `defer`)
/// kills whatever still runs and removes the folder, also when the test failed.
final class TestWorkspace: @unchecked Sendable {
    // @unchecked: `processes` is guarded by `lock`.
    let folder: URL
    let executable: String
    private let lock = NSLock()
    private var processes: [ServerProcess] = []

    init() throws {
        executable = try VMServerBinary.require()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vmserver-it-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A path inside the workspace folder.
    func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    /// Starts `vmserver arguments...`; the process is killed by `cleanUp()` if still running.
    @discardableResult
    func start(_ name: String, arguments: [String] = ["run"], environment: [String: String]) throws -> ServerProcess {
        let process = try ServerProcess(
            name: name, executable: executable, arguments: arguments, environment: environment, folder: folder)
        lock.withLock { processes.append(process) }
        return process
    }

    /// Kills every process still running (SIGKILL), waits for them, and removes the folder.
    func cleanUp() {
        let all = lock.withLock { processes }
        for process in all { process.kill9() }
        for process in all { process.waitForExitBlocking(timeout: 10) }
        try? FileManager.default.removeItem(at: folder)
    }
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes; returns whether it held.
func poll(timeout: Duration = .seconds(30), _ condition: () throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try condition() { return true }
        if clock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
}
