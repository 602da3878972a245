import EventLog

/// Estimates the number of happened-before pairs of a run without vector clocks: each tick event
/// becomes a probe with probability `probability` (decided by a hash of its VM and seq, so the
/// same logs give the same estimate), and each probe is traced along happened-before as one bit
/// of a bitset: every VM holds the bits of the probes in its causal past, and a message carries
/// its sender's bits. A probe's future is the events that happened after it; the sum of all
/// events' future sizes is the number of happened-before pairs, and the sum over probes divided
/// by the probability is an unbiased estimate of it (Horvitz-Thompson), with variance estimated
/// by (1 - p) / p^2 times the sum of the squared future sizes.
///
/// A probe's future size needs no per-event work: when VM v first holds probe b (at a receive,
/// or at the probe itself), the events of v from then on are b's future there, so the future of
/// b is the sum over VMs holding b at the end of (their event count - their count when b arrived).
/// Cost per line: O(1), plus O(probes / 64) per receive; memory: VMs x probes bits, plus the
/// bits of each message in flight.
public struct CausalPastSampler: Sendable {
    public let probability: Double
    /// The chance as a threshold on a 64-bit hash.
    private let threshold: UInt64
    /// Per VM index (id - 1): the probes in its causal past, 64 per word.
    private var bits: [[UInt64]]
    /// Per VM index: tick events so far.
    private var eventCounts: [Int]
    /// Per probe: the sum over the VMs that hold it of their event count when it arrived (their
    /// events before it there).
    private var arrivalCounts: [Int] = []
    private var inFlight = MessageTable<(bits: [UInt64], remaining: Int)>()

    /// - Parameters:
    ///   - vmCount: the largest VM id (ids are 1...vmCount).
    ///   - probability: the chance of each tick event to be a probe, in (0, 1].
    public init(vmCount: Int, probability: Double) {
        self.probability = min(1, max(probability, .leastNonzeroMagnitude))
        // Below 1 the product is below 2^64, so it converts.
        threshold = self.probability >= 1 ? .max : UInt64(Double(UInt64.max) * self.probability)
        bits = Array(repeating: [], count: vmCount)
        eventCounts = Array(repeating: 0, count: vmCount)
    }

    /// The probability that gives about `target` probes among `expectedEvents` tick events.
    public static func probability(targetProbes target: Int, expectedEvents: Int) -> Double {
        expectedEvents <= target ? 1 : Double(target) / Double(expectedEvents)
    }

    /// Probes sampled so far.
    public var probes: Int { arrivalCounts.count }

    /// Takes the next line in an order where each receive comes after its send (`LogMerger`).
    public mutating func consume(_ record: LogRecord) {
        let index = record.vm - 1
        guard index >= 0, index < bits.count else { return }
        switch record.kind {
        case .internalEvent, .send:
            break
        case .receive:
            if let message = record.message,
                let carried = take(MessageKey(from: message.from, sendSeq: message.sendSeq))
            {
                merge(carried, into: index)
            }
        case .unprocessed:
            if let message = record.message { _ = take(MessageKey(from: message.from, sendSeq: message.sendSeq)) }
            return
        default:
            return
        }
        eventCounts[index] += 1
        if Self.hash(vm: record.vm, seq: record.seq) <= threshold {
            // Its future here starts after it: its arrival count is the events up to it.
            arrivalCounts.append(eventCounts[index])
            setBit(arrivalCounts.count - 1, at: index)
        }
        // A message carries the bits of its send event, which happened before its receive.
        let recipients = record.to.count - record.dropped.count
        if record.kind == .send, recipients > 0, !bits[index].isEmpty {
            inFlight[MessageKey(from: record.vm, sendSeq: record.seq)] = (bits[index], recipients)
        }
    }

    /// The estimate over all the tick events seen (`events`: their number).
    public func estimate(events: Int) -> CausalPairEstimate {
        var futures = [Int](repeating: 0, count: arrivalCounts.count)
        for (index, words) in bits.enumerated() {
            let count = eventCounts[index]
            for (wordIndex, word) in words.enumerated() {
                var remaining = word
                while remaining != 0 {
                    let bit = remaining.trailingZeroBitCount
                    futures[wordIndex * 64 + bit] += count
                    remaining &= remaining - 1
                }
            }
        }
        var sum = 0.0
        var sumOfSquares = 0.0
        for (probe, total) in futures.enumerated() {
            let future = Double(total - arrivalCounts[probe])
            sum += future
            sumOfSquares += future * future
        }
        let p = probability
        let estimate = sum / p
        let halfWidth = 1.96 * (max(0, (1 - p) / (p * p) * sumOfSquares)).squareRoot()
        let pairs = Double(events) * Double(max(events - 1, 0)) / 2
        let clamp = { (value: Double) in Int(min(max(value, 0), pairs).rounded()) }
        return CausalPairEstimate(
            value: clamp(estimate), low: clamp(estimate - halfWidth), high: clamp(estimate + halfWidth),
            probes: arrivalCounts.count, probability: p)
    }

    /// ORs a message's bits into the VM's; each probe new to the VM arrives at this receive, whose
    /// own event (not yet counted) is the first of its future there.
    private mutating func merge(_ carried: [UInt64], into index: Int) {
        if bits[index].count < carried.count {
            bits[index] += Array(repeating: 0, count: carried.count - bits[index].count)
        }
        let before = eventCounts[index]
        for wordIndex in carried.indices {
            var fresh = carried[wordIndex] & ~bits[index][wordIndex]
            guard fresh != 0 else { continue }
            bits[index][wordIndex] |= fresh
            while fresh != 0 {
                arrivalCounts[wordIndex * 64 + fresh.trailingZeroBitCount] += before
                fresh &= fresh - 1
            }
        }
    }

    private mutating func setBit(_ probe: Int, at index: Int) {
        let word = probe / 64
        if bits[index].count <= word { bits[index] += Array(repeating: 0, count: word + 1 - bits[index].count) }
        bits[index][word] |= 1 << UInt64(probe % 64)
    }

    private mutating func take(_ key: MessageKey) -> [UInt64]? {
        guard let slot = inFlight.index(forKey: key) else { return nil }
        // One lookup: the entry is changed or removed in place.
        if inFlight[valueAt: slot].remaining <= 1 { return inFlight.remove(at: slot).bits }
        inFlight[valueAt: slot].remaining -= 1
        return inFlight[valueAt: slot].bits
    }

    /// SplitMix64 of the event's VM and seq: a fixed pseudo-random draw per event.
    @inline(__always)
    static func hash(vm: Int, seq: Int) -> UInt64 {
        var z = UInt64(truncatingIfNeeded: vm) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(truncatingIfNeeded: seq)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
