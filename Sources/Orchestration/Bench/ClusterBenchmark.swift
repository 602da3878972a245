import Analysis
import Foundation
import LamportCore
import Settings

/// Measures real `vmserver` processes on loopback: event rate at TICK_RATE=max with full logging,
/// and memory per VM process, busy and idle.
public struct ClusterBenchmark: Sendable {
    /// The most VMs a benchmark starts: each size is run twice and measured process by process.
    public static let maximumVMs = 100

    public struct VMFigures: Sendable {
        public var vm: Int
        public var tickEvents: Int
        public var eventsPerSecond: Double
        public var busyMemory: ProcessMemory?
        public var idleMemory: ProcessMemory?
    }

    public let executable: String
    public let vmCount: Int
    public let seconds: Double
    public let directory: String

    public init(executable: String, vmCount: Int = 3, seconds: Double = 5, directory: String) {
        self.executable = executable
        self.vmCount = vmCount
        self.seconds = seconds
        self.directory = directory
    }

    /// Runs the busy cluster, then an idle one (1 tick per second), and returns the figures per VM.
    public func run() async throws -> [VMFigures] {
        let busyDirectory = "\(directory)/busy"
        let busy = try await runCluster(in: busyDirectory, rate: .unthrottled, settle: seconds)
        var figures: [VMFigures] = []
        for (vm, memory) in busy {
            let summary = try VMRunSummary.read(path: vm.logPath, vm: vm.vmID)
            figures.append(
                VMFigures(
                    vm: vm.vmID, tickEvents: summary.tickEvents, eventsPerSecond: summary.measuredTickRate ?? 0,
                    busyMemory: memory))
        }
        let idle = try await runCluster(in: "\(directory)/idle", rate: .perSecond(1), settle: 3)
        for (index, (_, memory)) in idle.enumerated() where index < figures.count {
            figures[index].idleMemory = memory
        }
        return figures
    }

    /// Starts the cluster, lets it run `settle` seconds once all VMs tick, samples each process's
    /// memory, stops it cleanly, and returns the processes with their samples.
    private func runCluster(
        in directory: String, rate: TickRate, settle: Double
    ) async throws
        -> [(VMProcess, ProcessMemory?)]
    {
        let cluster = try await LocalCluster(
            layout: ClusterLayout(
                vmCount: vmCount, directory: directory, tickRates: Array(repeating: rate, count: vmCount), seed: 1,
                maxAction: max(10, vmCount)),
            executable: executable)
        if let problem = await cluster.waitUntilRunning(timeout: 30) {
            _ = await cluster.stop()
            throw SettingsError("bench", "the benchmark cluster did not start (\(problem)); see \(directory)/*.stderr")
        }
        try await Task.sleep(for: .seconds(settle))
        let memory = cluster.vms.map { ProcessMemory.read(pid: $0.processID) }
        _ = await cluster.stop()
        return Array(zip(cluster.vms, memory))
    }
}
