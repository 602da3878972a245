import ArgumentParser
import Foundation
import Orchestration
import Settings
import SystemCalls

/// `vmserver bench`: speed of the core alone and of a loopback cluster, and memory per VM.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure events per second (core alone, and a 3-VM cluster at TICK_RATE=max) and memory per VM.",
        discussion: "Build with -c release first for meaningful numbers: swift build -c release")

    @Option(
        parsing: .unconditional, help: "Tick events for the core-alone measurement, 1-1000000000 (default 3000000).")
    var coreEvents: String = "3000000"
    @Option(
        parsing: .unconditional,
        help: "Seconds the cluster runs at TICK_RATE=max, 1-600 (its logs grow by tens of MB/s) (default 5).")
    var seconds: String = "5"
    @Option(parsing: .unconditional, help: "VMs in the cluster, 1-\(ClusterBenchmark.maximumVMs) (default 3).")
    var vms: String = "3"
    @Option(help: "Folder for the benchmark runs' logs (default: a new temporary folder).") var out: String?

    func run() async throws {
        let coreEvents: Int
        let seconds: Double
        let vms: Int
        do {
            coreEvents = try NumberSetting.integer(
                self.coreEvents, setting: "--core-events", in: 1...1_000_000_000,
                accepts: "an integer from 1 to 1000000000")
            seconds = try NumberSetting.number(
                self.seconds, setting: "--seconds", in: 1...600, accepts: "seconds, a number from 1 to 600")
            vms = try NumberSetting.integer(
                self.vms, setting: "--vms", in: 1...ClusterBenchmark.maximumVMs,
                accepts: "an integer from 1 to \(ClusterBenchmark.maximumVMs)")
            try LocalCluster.checkInheritedLogLevel()
        } catch {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
        let core = CoreBenchmark.run(events: coreEvents, encodeLines: false)
        say("core alone:            \(whole(core.eventsPerSecond)) events/s (\(core.events) events, 3 cores in turn)")
        let encoded = CoreBenchmark.run(events: coreEvents, encodeLines: true)
        say("core + JSON log lines: \(whole(encoded.eventsPerSecond)) events/s")
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
                String(vm.vm), String(vm.tickEvents), whole(vm.eventsPerSecond),
                mib(vm.busyMemory?.residentKiB), mib(vm.busyMemory?.peakResidentKiB),
                mib(vm.busyMemory?.privateDirtyKiB), mib(vm.idleMemory?.residentKiB),
                mib(vm.idleMemory?.privateDirtyKiB),
            ]
            say(cells.joined(separator: "  "))
        }
    }

    /// A rate without decimals; formatted, not converted to Int (an instant run's rate is infinite).
    private func whole(_ value: Double) -> String {
        String(format: "%.0f", value)
    }

    private func mib(_ kib: Int?) -> String {
        guard let kib else { return "-" }
        return String(format: "%.1f", Double(kib) / 1024)
    }

    private func say(_ line: String) {
        StandardOutput.write(line + "\n")
    }
}
