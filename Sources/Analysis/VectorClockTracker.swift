import EventLog

/// Rebuilds vector clocks from the logs (the `(from, send_seq)` links are enough) and counts,
/// for every tick event, how many events happened before it.
///
/// Entry `j` of an event's vector is the number of tick events of VM `j + 1` that happened
/// before it or are it, so a VM's own entry starts at 1 and rises by 1 per event. Lifecycle lines
/// are not events here. Memory holds one vector per VM and one per message in flight or queued
/// (`memoryBound`); each VM's entry sum is kept up to date, so an internal or send event costs
/// O(1) and a receive O(VMs) (the merge).
///
/// Entries are stored as 32-bit counts (half the bytes to copy and merge, and a merge the
/// processor does several entries at a time); `memoryBound` still counts 8 bytes per entry, so
/// the budget decisions are those of 64-bit entries. A VM with `entryLimit` events or more sets
/// `reachedEntryLimit`: the caller must then drop the tracker before 4,096 more lines go by.
public struct VectorClockTracker: Sendable {
    /// Events of one VM from which `reachedEntryLimit` is set: 4,096 below the largest entry.
    public static let entryLimit = Int(Int32.max) - 4096

    private let vmCount: Int
    /// Row `i` (entries `i * vmCount ..< (i + 1) * vmCount`): the vector of VM index `i`.
    private var vectors: [Int32]
    /// Per VM index: the sum of its vector's entries.
    private var sums: [Int]
    private var inFlight = MessageTable<(vector: [Int32], remaining: Int)>()
    /// Tick events seen.
    public private(set) var events = 0
    /// Sum over events of how many other events happened before each (pairs a -> b).
    public private(set) var happenedBeforePairs = 0
    /// Whether a VM's own entry reached `entryLimit` (see the type's documentation).
    public private(set) var reachedEntryLimit = false

    public init(vmCount: Int) {
        self.vmCount = vmCount
        vectors = Array(repeating: 0, count: vmCount * vmCount)
        sums = Array(repeating: 0, count: vmCount)
    }

    /// The bytes of the vectors held at most: one per VM and one per message in flight.
    public var memoryBound: Int { Self.bytes(vmCount: vmCount, vectors: vmCount + inFlight.count) }

    /// The bytes of `vectors` vectors of a run of `vmCount` VMs.
    public static func bytes(vmCount: Int, vectors: Int) -> Int {
        vmCount.multipliedReportingOverflow(by: vectors * MemoryLayout<Int>.stride).overflow
            ? .max : vmCount * vectors * MemoryLayout<Int>.stride
    }

    /// Takes the next line in time order; returns whether it is a tick event (whose vector is
    /// then `vector(ofVM:)` until the VM's next event).
    @discardableResult
    public mutating func consume(_ record: LogRecord) -> Bool {
        let index = record.vm - 1
        guard index >= 0, index < vmCount else { return false }
        switch record.kind {
        case .internalEvent, .send:
            break
        case .receive:
            // A receive whose send was not seen first (a broken log) merges nothing; the
            // `receive_matches_send` check is where such lines are reported.
            if let message = record.message, let vector = take(MessageKey(from: message.from, sendSeq: message.sendSeq))
            {
                sums[index] += merge(vector, intoRowOf: index)
            }
        case .unprocessed:
            if let message = record.message { _ = take(MessageKey(from: message.from, sendSeq: message.sendSeq)) }
            return false
        default:
            return false
        }
        let own = index * vmCount + index
        vectors[own] &+= 1
        if vectors[own] >= Self.entryLimit { reachedEntryLimit = true }
        sums[index] += 1
        if record.kind == .send {
            let recipients = record.to.count - record.dropped.count
            if recipients > 0 {
                inFlight[MessageKey(from: record.vm, sendSeq: record.seq)] = (row(index), recipients)
            }
        }
        events += 1
        happenedBeforePairs += sums[index] - 1
        return true
    }

    /// The current vector of VM `vm` (id), entry `j` for VM `j + 1`.
    public func vector(ofVM vm: Int) -> [Int] {
        vectors[(vm - 1) * vmCount..<vm * vmCount].map(Int.init)
    }

    /// A copy of VM index `index`'s vector.
    private func row(_ index: Int) -> [Int32] {
        Array(vectors[index * vmCount..<(index + 1) * vmCount])
    }

    /// Raises each entry of VM index `index`'s vector to `other`'s where that is larger; returns
    /// how much the entries' sum grew.
    @inline(__always)
    private mutating func merge(_ other: [Int32], intoRowOf index: Int) -> Int {
        let start = index * vmCount
        let count = min(vmCount, other.count)
        return vectors.withUnsafeMutableBufferPointer { all in
            other.withUnsafeBufferPointer { theirs in
                let mine = all.baseAddress! + start
                var growth = 0
                // Branch-free and without overflow traps, so the compiler can use vector
                // instructions (entries are event counts below `entryLimit`: differences fit).
                var peer = 0
                while peer < count {
                    let mineValue = mine[peer]
                    let theirValue = theirs[peer]
                    let difference = theirValue &- mineValue
                    growth &+= Int(difference > 0 ? difference : 0)
                    mine[peer] = theirValue > mineValue ? theirValue : mineValue
                    peer &+= 1
                }
                return growth
            }
        }
    }

    private mutating func take(_ key: MessageKey) -> [Int32]? {
        guard let slot = inFlight.index(forKey: key) else { return nil }
        // One lookup: the entry is changed or removed in place.
        if inFlight[valueAt: slot].remaining <= 1 { return inFlight.remove(at: slot).vector }
        inFlight[valueAt: slot].remaining -= 1
        return inFlight[valueAt: slot].vector
    }
}
