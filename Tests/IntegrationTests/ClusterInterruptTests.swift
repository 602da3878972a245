import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C to `vmserver cluster` while its VMs are still being started: it stops at once instead of
/// first starting them all, and leaves no VM running.
@Suite struct ClusterInterruptTests {
    /// Processes of this host whose environment has `LOG_DIR=folder` (the VMs of one run).
    static func processes(loggingTo folder: String) -> [Int32] {
        let needle = Array("LOG_DIR=\(folder)".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { Array($0) == needle }
        }
    }

    @Test("Ctrl-C while 300 VMs start: the cluster exits soon, says it was interrupted, and no VM is left running")
    func interruptDuringLaunch() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let cluster = try workspace.start(
            "cluster",
            arguments: [
                "cluster", "--vms", "300", "--topology", "random:4", "--duration", "120", "--seed", "3", "--out", out,
            ],
            environment: [:])
        // Interrupted once some VMs run: usually while the others are still being started.
        let someStarted = await poll(timeout: .seconds(120)) {
            Self.processes(loggingTo: out).count >= 20 || !cluster.isRunning
        }
        #expect(someStarted && cluster.isRunning, "\(describe([cluster]))")
        cluster.send(SIGINT)
        let exit = await cluster.waitForExit(timeout: .seconds(240))
        #expect(exit != .stillRunning, "\(describe([cluster]))")
        let output = cluster.standardOutput
        #expect(output.contains("interrupted"), "\(output)")
        if output.contains("interrupted while starting the VMs") {
            #expect(exit == .code(1))
            #expect(output.contains("of 300 were started, and are stopped again"), "\(output)")
            #expect(!FileManager.default.fileExists(atPath: "\(out)/report.html"), "no run, no report")
        }
        let leftOver = await poll(timeout: .seconds(20)) { Self.processes(loggingTo: out).isEmpty }
        #expect(leftOver, "VM processes still running: \(Self.processes(loggingTo: out))")
    }
}
