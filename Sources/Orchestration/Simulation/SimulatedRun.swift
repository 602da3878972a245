import EventLog
import LamportCore

/// Writes the logs of a simulated run into a folder, as a real cluster would: `vm<ID>.jsonl` per VM.
public enum SimulatedRun {
    /// Runs the simulation and returns how many lines it wrote.
    @discardableResult
    public static func write(
        _ configuration: SimulatedCluster.Configuration, duration: Double, to directory: String
    )
        throws -> Int
    {
        let logs = try (1...configuration.tickRates.count).map { id in
            try EventLogFile(directory: directory, vmID: id, flushThreshold: 1 << 20)
        }
        var cluster = SimulatedCluster(configuration)
        var lines = 0
        cluster.run(duration: duration) { event, time in
            logs[event.vm - 1].append(event, at: time)
            lines += 1
        }
        for log in logs { log.close() }
        return lines
    }
}
