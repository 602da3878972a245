import EventLog

/// Rebuilds vector clocks from the logs (the `(from, send_seq)` links are enough) and counts,
/// for every tick event, how many events happened before it.
///
/// Entry `j` of an event's vector is the number of tick events of VM `j + 1` that happened
/// before it or are it, so a VM's own entry starts at 1 and rises by 1 per event. Lifecycle lines
/// are not events here. Memory holds one vector per message in flight or queued.
public struct VectorClockTracker: Sendable {
    private struct MessageKey: Hashable {
        var from: Int
        var sendSeq: Int
    }

    private var vectors: [[Int]]
    private var inFlight: [MessageKey: (vector: [Int], remaining: Int)] = [:]
    /// Tick events seen.
    public private(set) var events = 0
    /// Sum over events of how many other events happened before each (pairs a -> b).
    public private(set) var happenedBeforePairs = 0

    public init(vmCount: Int) {
        vectors = Array(repeating: Array(repeating: 0, count: vmCount), count: vmCount)
    }

    /// Takes the next line in time order; returns the vector of a tick event (nil for other lines).
    @discardableResult
    public mutating func consume(_ record: LogRecord) -> [Int]? {
        let index = record.vm - 1
        guard index >= 0, index < vectors.count else { return nil }
        switch record.kind {
        case .internalEvent:
            vectors[index][index] += 1
        case .send:
            vectors[index][index] += 1
            let recipients = record.to.count - record.dropped.count
            if recipients > 0 {
                inFlight[MessageKey(from: record.vm, sendSeq: record.seq)] = (vectors[index], recipients)
            }
        case .receive:
            // A receive whose send was not seen first (a broken log) merges nothing; the
            // `receive_matches_send` check is where such lines are reported.
            if let message = record.message, let vector = take(MessageKey(from: message.from, sendSeq: message.sendSeq))
            {
                for peer in vectors[index].indices where vector[peer] > vectors[index][peer] {
                    vectors[index][peer] = vector[peer]
                }
            }
            vectors[index][index] += 1
        case .unprocessed:
            if let message = record.message { _ = take(MessageKey(from: message.from, sendSeq: message.sendSeq)) }
            return nil
        default:
            return nil
        }
        events += 1
        happenedBeforePairs += vectors[index].reduce(0, +) - 1
        return vectors[index]
    }

    private mutating func take(_ key: MessageKey) -> [Int]? {
        guard var entry = inFlight[key] else { return nil }
        entry.remaining -= 1
        inFlight[key] = entry.remaining == 0 ? nil : entry
        return entry.vector
    }
}
