import EventLog
import LamportCore

/// Writes the logs of a simulated run into a folder, as a real cluster would: `vm<ID>.jsonl` per VM.
///
/// Memory does not grow with the length of the run: each VM's lines go through a write buffer of
/// `flushThreshold(vmCount:)` bytes, so all buffers together stay within `writeBudget` (up to
/// `writeBudget / smallestFileBuffer` VMs; past that each VM keeps the smallest buffer). The logs
/// keep no recent lines in memory (there is no control plane to serve them) and are not synced to
/// disk one by one at the end: the system writes them out, and a reader sees them at once.
public enum SimulatedRun {
    /// The bytes of log lines all VMs together buffer before writing, at most (64 MiB), as long as
    /// each VM's share is at least `smallestFileBuffer`.
    public static let writeBudget = 64 << 20
    /// The largest write buffer of one VM (1 MiB): what a small cluster's VMs each get.
    public static let largestFileBuffer = 1 << 20
    /// The smallest write buffer of one VM (4 KiB, a page): below it, writes get too small.
    public static let smallestFileBuffer = 4096

    /// The write buffer of each VM of a simulation of `vmCount` VMs: `writeBudget / vmCount`,
    /// within `smallestFileBuffer...largestFileBuffer`.
    public static func flushThreshold(vmCount: Int) -> Int {
        min(largestFileBuffer, max(smallestFileBuffer, writeBudget / max(1, vmCount)))
    }

    /// What a simulated run wrote.
    public struct Outcome: Sendable, Equatable {
        /// Log lines of all VMs.
        public var lines: Int
        /// Tick events (`internal`, `send`, `receive`) of all VMs.
        public var tickEvents: Int
    }

    /// Runs the simulation and returns how many lines it wrote.
    ///
    /// - Throws: as `run(_:duration:to:)`.
    @discardableResult
    public static func write(
        _ configuration: SimulatedCluster.Configuration, duration: Double, to directory: String
    ) throws -> Int {
        try run(configuration, duration: duration, to: directory).lines
    }

    /// Runs the simulation, writing every VM's log into `directory`.
    ///
    /// - Throws: `SimulationFileLimit`'s `SettingsError` (naming `--vms`) when the process cannot
    ///   hold one open log per VM; an `EventLogError` when a log cannot be created.
    public static func run(
        _ configuration: SimulatedCluster.Configuration, duration: Double, to directory: String
    ) throws -> Outcome {
        let vmCount = configuration.tickRates.count
        try SimulationFileLimit.ensure(vmCount: vmCount)
        let threshold = flushThreshold(vmCount: vmCount)
        let logs = try (1...vmCount).map { id in
            try EventLogFile(directory: directory, vmID: id, flushThreshold: threshold, recentCapacity: 0)
        }
        var cluster = SimulatedCluster(configuration)
        var lines = 0
        // `logs` keeps every file alive; the hot path reaches them without retaining each time.
        let files = logs.map { Unmanaged.passUnretained($0) }
        cluster.run(duration: duration) { event, time in
            files[event.vm - 1]._withUnsafeGuaranteedRef { $0.append(event, at: time) }
            lines += 1
        }
        withExtendedLifetime(logs) {}
        for log in logs { log.close(sync: false) }
        let tickEvents = cluster.cores.reduce(0) { $0 + $1.counters.tickEvents }
        return Outcome(lines: lines, tickEvents: tickEvents)
    }
}
