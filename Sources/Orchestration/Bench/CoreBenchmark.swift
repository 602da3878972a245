import EventLog
import LamportCore

/// Measures the VM core alone: three cores ticking in turn, messages handed over in memory.
public enum CoreBenchmark {
    public struct Result: Sendable {
        public var events: Int
        public var seconds: Double
        public var eventsPerSecond: Double { Double(events) / seconds }
    }

    /// Runs `events` tick events in total; with `encodeLines`, each event is also written as its
    /// JSON log line into a buffer (the work the real VM does before the file write).
    public static func run(events: Int, encodeLines: Bool) -> Result {
        let ids = [1, 2, 3]
        var cores = ids.map { id in
            VMCore(
                id: id, peers: ids.filter { $0 != id }, tuning: VMTuning(tickRate: .unthrottled),
                random: SeededRandom(seed: 42, vmID: id))
        }
        for index in cores.indices {
            for peer in cores[index].peers { _ = cores[index].peerConnected(peer) }
        }
        var encoder = EventLineEncoder()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        var bytes = 0
        let time = WallTime.now()
        let clock = ContinuousClock()
        let start = clock.now
        var done = 0
        while done < events {
            for index in cores.indices {
                let outcome = cores[index].tick()
                if encodeLines {
                    encoder.append(outcome.event, at: time, to: &buffer)
                    if buffer.count >= 1 << 16 {
                        bytes += buffer.count
                        buffer.removeAll(keepingCapacity: true)
                    }
                }
                if let (message, recipients) = outcome.outgoing {
                    for recipient in recipients { cores[recipient - 1].deliver(message) }
                }
            }
            done += cores.count
        }
        let elapsed = clock.now - start
        precondition(bytes >= 0)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(events: done, seconds: seconds)
    }
}
