import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C to `vmserver cluster` while its VMs are still being started: it is not the end of the
/// process (the signal is trapped before the first line), the launch stops at once instead of
/// first starting them all, and no VM is left running.
@Suite struct ClusterInterruptTests {
    /// `vmserver` processes of this host whose environment has `LOG_DIR=folder` (the VMs of one run).
    static func processes(loggingTo folder: String) -> [Int32] {
        let needle = Array("LOG_DIR=\(folder)".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            // The name first: it is read without touching the process's memory (reading its
            // environment waits while the process is being exec'd).
            guard let name = FileManager.default.contents(atPath: "/proc/\(pid)/comm"),
                String(decoding: name, as: UTF8.self).hasPrefix("vmserver")
            else { return false }
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { Array($0) == needle }
        }
    }

    @Test("Ctrl-C right after the first line, while the VMs start: the cluster stops the launch, exits 1, leaves no VM")
    func interruptDuringLaunch() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let cluster = try workspace.start(
            "cluster",
            arguments: [
                "cluster", "--vms", "60", "--topology", "random:4", "--duration", "120", "--seed", "3", "--out", out,
            ],
            environment: [:])
        // The host check line comes before the first VM is started, and after the signal is trapped.
        let checked = await poll(timeout: .seconds(60)) {
            cluster.standardOutput.contains("needs ~") || !cluster.isRunning
        }
        #expect(checked && cluster.isRunning, "\(describe([cluster]))")
        cluster.send(SIGINT)
        let exit = await cluster.waitForExit(timeout: .seconds(240))
        #expect(exit != .stillRunning, "\(describe([cluster]))")
        let output = cluster.standardOutput
        #expect(output.contains("interrupted"), "\(output)")
        // Usually the launch is cut short; on a slow machine the signal may come once all 60 run,
        // and then the run is stopped and analyzed as any interrupted run.
        if output.contains("interrupted while starting the VMs") {
            #expect(exit == .code(1))
            #expect(output.contains("of 60 were started, and are stopped again"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: "\(out)/report.html"), "no run, no report")
        }
        let leftOver = await poll(timeout: .seconds(20)) { Self.processes(loggingTo: out).isEmpty }
        #expect(leftOver, "VM processes still running: \(Self.processes(loggingTo: out))")
    }
}
