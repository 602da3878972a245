import ArgumentParser
import Foundation
import VMService

/// `vmserver bench`: speed of the core alone and of a loopback cluster, and memory per VM.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure events per second (core alone, and a 3-VM cluster at TICK_RATE=max) and memory per VM.",
        discussion: "Build with -c release first for meaningful numbers: swift build -c release")

    @Option(help: "Tick events for the core-alone measurement.") var coreEvents: Int = 3_000_000
    @Option(help: "Seconds the cluster runs at TICK_RATE=max.") var seconds: Double = 5
    @Option(help: "VMs in the cluster.") var vms: Int = 3
    @Option(help: "Folder for the benchmark runs' logs (default: a new temporary folder).") var out: String?

    func run() async throws {
        let core = CoreBenchmark.run(events: coreEvents, encodeLines: false)
        say("core alone:            \(Int(core.eventsPerSecond)) events/s (\(core.events) events, 3 cores in turn)")
        let encoded = CoreBenchmark.run(events: coreEvents, encodeLines: true)
        say("core + JSON log lines: \(Int(encoded.eventsPerSecond)) events/s")
        let directory = out ?? NSTemporaryDirectory() + "vmserver-bench-\(UUID().uuidString.prefix(8))"
        say("cluster: \(vms) VMs at TICK_RATE=max for \(seconds) s, logs in \(directory)")
        let figures = try await ClusterBenchmark(
            executable: currentExecutable(), vmCount: vms, seconds: seconds, directory: directory
        ).run()
        say(
            "vm  tick events  events/s  busy RSS MiB  busy peak MiB  busy private dirty MiB  idle RSS MiB  idle private dirty MiB"
        )
        for vm in figures {
            let cells = [
                String(vm.vm), String(vm.tickEvents), String(Int(vm.eventsPerSecond)),
                mib(vm.busyMemory?.residentKiB), mib(vm.busyMemory?.peakResidentKiB),
                mib(vm.busyMemory?.privateDirtyKiB), mib(vm.idleMemory?.residentKiB),
                mib(vm.idleMemory?.privateDirtyKiB),
            ]
            say(cells.joined(separator: "  "))
        }
    }

    private func mib(_ kib: Int?) -> String {
        guard let kib else { return "-" }
        return String(format: "%.1f", Double(kib) / 1024)
    }

    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
