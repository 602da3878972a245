import Foundation
import Testing

/// `vmserver cluster | head -1`: when the reader of standard output goes away, the run goes on,
/// stops its VMs cleanly and writes its folder, instead of crashing with its VMs left running.
@Suite struct ClosedOutputTests {
    @Test func aClusterWhoseOutputIsClosedStillFinishesItsRun() throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        // `exec 1>&-` after the first line: the pipe's reader is gone for every later line.
        process.arguments = [
            "-c",
            "'\(workspace.executable)' cluster --vms 2 --duration 3 --seed 1 --out '\(out)' 2>'\(out).stderr' "
                + "| head -1 >/dev/null; exit ${PIPESTATUS[0]}",
        ]
        try process.run()
        process.waitUntilExit()
        let stderr = (try? String(contentsOfFile: out + ".stderr", encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "exit \(process.terminationStatus): \(stderr.prefix(2000))")
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"), "the run's report is written")
        #expect(!stderr.contains("Fatal error"))
    }
}
