import EventLog

/// Rebuilds vector clocks from the logs (the `(from, send_seq)` links are enough) and counts,
/// for every tick event, how many events happened before it.
///
/// Entry `j` of an event's vector is the number of tick events of VM `j + 1` that happened
/// before it or are it, so a VM's own entry starts at 1 and rises by 1 per event. Lifecycle lines
/// are not events here. Memory holds one vector per VM and one per message in flight or queued
/// (`memoryBound`); each VM's entry sum is kept up to date, so an internal or send event costs
/// O(1) and a receive O(VMs) (the merge).
public struct VectorClockTracker: Sendable {
    private struct MessageKey: Hashable {
        var from: Int
        var sendSeq: Int

        /// One word into the hasher instead of two (this key is hashed a few times per message).
        func hash(into hasher: inout Hasher) {
            hasher.combine(
                UInt64(truncatingIfNeeded: from) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: sendSeq))
        }
    }

    private var vectors: [[Int]]
    /// Per VM index: the sum of its vector's entries.
    private var sums: [Int]
    private var inFlight: [MessageKey: (vector: [Int], remaining: Int)] = [:]
    /// Tick events seen.
    public private(set) var events = 0
    /// Sum over events of how many other events happened before each (pairs a -> b).
    public private(set) var happenedBeforePairs = 0

    public init(vmCount: Int) {
        vectors = Array(repeating: Array(repeating: 0, count: vmCount), count: vmCount)
        sums = Array(repeating: 0, count: vmCount)
    }

    /// The bytes of the vectors held at most: one per VM and one per message in flight.
    public var memoryBound: Int { Self.bytes(vmCount: vectors.count, vectors: vectors.count + inFlight.count) }

    /// The bytes of `vectors` vectors of a run of `vmCount` VMs.
    public static func bytes(vmCount: Int, vectors: Int) -> Int {
        vmCount.multipliedReportingOverflow(by: vectors * MemoryLayout<Int>.stride).overflow
            ? .max : vmCount * vectors * MemoryLayout<Int>.stride
    }

    /// Takes the next line in time order; returns the vector of a tick event (nil for other lines).
    @discardableResult
    public mutating func consume(_ record: LogRecord) -> [Int]? {
        let index = record.vm - 1
        guard index >= 0, index < vectors.count else { return nil }
        switch record.kind {
        case .internalEvent:
            vectors[index][index] += 1
            sums[index] += 1
        case .send:
            vectors[index][index] += 1
            sums[index] += 1
            let recipients = record.to.count - record.dropped.count
            if recipients > 0 {
                inFlight[MessageKey(from: record.vm, sendSeq: record.seq)] = (vectors[index], recipients)
            }
        case .receive:
            // A receive whose send was not seen first (a broken log) merges nothing; the
            // `receive_matches_send` check is where such lines are reported.
            if let message = record.message, let vector = take(MessageKey(from: message.from, sendSeq: message.sendSeq))
            {
                sums[index] += Self.merge(vector, into: &vectors[index])
            }
            vectors[index][index] += 1
            sums[index] += 1
        case .unprocessed:
            if let message = record.message { _ = take(MessageKey(from: message.from, sendSeq: message.sendSeq)) }
            return nil
        default:
            return nil
        }
        events += 1
        happenedBeforePairs += sums[index] - 1
        return vectors[index]
    }

    /// Raises each entry of `vector` to `other`'s where that is larger; returns how much the
    /// entries' sum grew.
    @inline(__always)
    private static func merge(_ other: [Int], into vector: inout [Int]) -> Int {
        var growth = 0
        vector.withUnsafeMutableBufferPointer { mine in
            other.withUnsafeBufferPointer { theirs in
                // Branch-free and without overflow traps, so the compiler can use vector
                // instructions (entries are event counts: far from overflowing).
                for peer in 0..<min(mine.count, theirs.count) {
                    let mineValue = mine[peer]
                    let theirValue = theirs[peer]
                    let difference = theirValue &- mineValue
                    growth &+= difference > 0 ? difference : 0
                    mine[peer] = theirValue > mineValue ? theirValue : mineValue
                }
            }
        }
        return growth
    }

    private mutating func take(_ key: MessageKey) -> [Int]? {
        guard let slot = inFlight.index(forKey: key) else { return nil }
        // One lookup: the entry is changed or removed in place.
        if inFlight.values[slot].remaining <= 1 { return inFlight.remove(at: slot).value.vector }
        inFlight.values[slot].remaining -= 1
        return inFlight.values[slot].vector
    }
}
