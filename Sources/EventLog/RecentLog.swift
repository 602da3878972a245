import Synchronization
import SystemCalls

/// Serves pages of a VM's event log to the control plane (`GET /log`): the most recent lines from
/// memory, older ones from the file through a sparse seq -> byte offset index.
///
/// The recent lines are copied into one ring of bytes with a fixed budget (`byteBudget`, and at
/// most `capacity` lines), so the memory it holds is bounded whatever the write pattern: it never
/// keeps a reference to the log writer's buffers. The VM's event loop hands over each chunk it
/// writes (`record`); any thread may read.
public final class RecentLog: Sendable {
    /// The recent lines, newline included, back to back in a circular byte store.
    ///
    /// Positions are logical byte counts since the ring was created: the byte at logical position
    /// `p` lives at `bytes[p % budget]`. The store grows up to `budget` bytes, then wraps.
    struct Ring {
        let budget: Int
        let capacity: Int
        private(set) var bytes: [UInt8] = []
        /// Logical start of each line held, oldest first; the newest line ends at `end`.
        private var starts: [Int] = []
        /// Index in `starts` of the oldest line still held (the ones before it were evicted).
        private var head = 0
        /// Logical position just after the newest line.
        private(set) var end = 0
        /// Seq of the oldest line held (meaningful when `count > 0`).
        private(set) var firstSeq = 0

        init(budget: Int, capacity: Int) {
            self.budget = budget
            self.capacity = capacity
        }

        var count: Int { starts.count - head }
        var lastSeq: Int { firstSeq + count - 1 }
        /// Bytes of the lines held.
        var storedBytes: Int { count == 0 ? 0 : end - starts[head] }

        /// Appends line `seq` (its bytes, newline included). It must follow the newest line held
        /// (`seq == lastSeq + 1`); otherwise the ring starts over from this line.
        mutating func append(seq: Int, line: UnsafeRawBufferPointer) {
            guard line.count <= budget else {
                // Longer than the whole budget: nothing before it stays contiguous; serve from the file.
                removeAll()
                return
            }
            if count > 0 && seq != lastSeq + 1 { removeAll() }
            while count > 0 && (count >= capacity || end + line.count - starts[head] > budget) {
                head += 1
                firstSeq += 1
            }
            if count == 0 { firstSeq = seq }
            if head > 0 && head >= starts.count / 2 {
                starts.removeFirst(head)
                head = 0
            }
            starts.append(end)
            write(line, at: end)
            end += line.count
        }

        private mutating func write(_ line: UnsafeRawBufferPointer, at position: Int) {
            var written = 0
            while written < line.count {
                let offset = (position + written) % budget
                let length = min(line.count - written, budget - offset)
                let piece = UnsafeRawBufferPointer(rebasing: line[written..<written + length])
                if offset == bytes.count {
                    // Still growing (up to the budget).
                    bytes.append(contentsOf: piece)
                } else {
                    bytes.withUnsafeMutableBytes { raw in
                        UnsafeMutableRawBufferPointer(rebasing: raw[offset..<offset + length]).copyMemory(from: piece)
                    }
                }
                written += length
            }
        }

        mutating func removeAll() {
            starts.removeAll(keepingCapacity: true)
            head = 0
        }

        /// Copies up to `limit` lines with seq > `after` (which must be >= firstSeq - 1), newlines
        /// included, into `out`; returns where each line starts in `out`.
        func copyLines(after: Int, limit: Int, into out: inout [UInt8]) -> [Range<Int>] {
            guard count > 0, after < lastSeq else { return [] }
            let first = max(after + 1, firstSeq)
            let last = min(lastSeq, first + limit - 1)
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(last - first + 1)
            for seq in first...last {
                let index = head + seq - firstSeq
                let start = starts[index]
                let stop = index + 1 < starts.count ? starts[index + 1] : end
                let lineStart = out.count
                var position = start
                while position < stop {
                    let offset = position % budget
                    let length = min(stop - position, budget - offset)
                    out.append(contentsOf: bytes[offset..<offset + length])
                    position += length
                }
                // Without the newline.
                ranges.append(lineStart..<out.count - 1)
            }
            return ranges
        }
    }

    private struct State {
        var ring: Ring
        /// (seq of a line, byte offset where it starts), every `indexSpacing` lines.
        var index: [(seq: Int, offset: Int)] = []
        /// Bytes of complete lines in the file.
        var fileSize = 0
        var lastSeq = 0
    }

    public let path: String
    private let indexSpacing: Int
    private let state: Mutex<State>

    /// - Parameters:
    ///   - capacity: at most how many recent lines to keep in memory.
    ///   - byteBudget: at most how many bytes of recent lines to keep in memory.
    ///   - fileSize: bytes already in the file (an earlier run's lines), `lastSeq` their last seq.
    public init(
        path: String, fileSize: Int, lastSeq: Int, capacity: Int = 10_000, byteBudget: Int = 1 << 20,
        indexSpacing: Int = 4096
    ) {
        self.path = path
        self.indexSpacing = indexSpacing
        var initial = State(ring: Ring(budget: max(1, byteBudget), capacity: max(1, capacity)))
        initial.fileSize = fileSize
        initial.lastSeq = lastSeq
        state = Mutex(initial)
    }

    /// Bytes of recent lines held in memory, and the size of the store holding them.
    public var memoryUse: (lines: Int, storedBytes: Int, storeSize: Int) {
        state.withLock { ($0.ring.count, $0.ring.storedBytes, $0.ring.bytes.count) }
    }

    /// Takes a chunk of complete lines just written at byte `offset` of the file, numbered
    /// `firstSeq`, `firstSeq + 1`, ... (`lineStarts` are the offsets of each line in `bytes`).
    /// The bytes are copied; the caller may reuse its buffer.
    func record(bytes: ArraySlice<UInt8>, lineStarts: [Int], firstSeq: Int, offset: Int) {
        guard !lineStarts.isEmpty else { return }
        // `lineStarts` are indices of `bytes`; `raw` counts from 0.
        let base = bytes.startIndex
        bytes.withUnsafeBytes { raw in
            state.withLock { state in
                for (index, start) in lineStarts.enumerated() {
                    let seq = firstSeq + index
                    if seq % indexSpacing == 1 { state.index.append((seq, offset + start - base)) }
                    let stop = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.endIndex
                    state.ring.append(
                        seq: seq, line: UnsafeRawBufferPointer(rebasing: raw[(start - base)..<(stop - base)]))
                }
                state.fileSize = offset + bytes.count
                state.lastSeq = firstSeq + lineStarts.count - 1
            }
        }
    }

    /// Up to `limit` lines with seq > `after`, oldest first, each without its newline.
    public func lines(after: Int, limit: Int) -> [ArraySlice<UInt8>] {
        guard limit > 0 else { return [] }
        var out: [UInt8] = []
        var ranges: [Range<Int>] = []
        // The lines are copied out of the ring under the lock; or else the part of the file that
        // holds them is read outside it.
        let fileRange = state.withLock { state -> Range<Int>? in
            if state.ring.count > 0, after >= state.ring.firstSeq - 1 {
                ranges = state.ring.copyLines(after: after, limit: limit, into: &out)
                return nil
            }
            guard after < state.lastSeq else { return 0..<0 }
            let start = state.index.last(where: { $0.seq - 1 <= after })?.offset ?? 0
            return start..<state.fileSize
        }
        guard let fileRange else { return ranges.map { out[$0] } }
        guard !fileRange.isEmpty else { return [] }
        return readFile(from: fileRange.lowerBound, end: fileRange.upperBound, after: after, limit: limit)
    }

    /// Reads lines from the file between byte offsets, keeping those with seq > `after`.
    ///
    /// The lines it passes that the index lacks (an earlier run's, of a VM restarted on its log:
    /// `record` only indexes the lines this process writes) go into the index, so paging through
    /// an old log reads each part of the file about once instead of from the start every time.
    private func readFile(from start: Int, end: Int, after: Int, limit: Int) -> [ArraySlice<UInt8>] {
        guard let descriptor = try? FileDescriptor.open(path, .readOnly) else { return [] }
        defer { try? descriptor.close() }
        var result: [ArraySlice<UInt8>] = []
        var found: [(seq: Int, offset: Int)] = []
        var offset = start
        var pending: [UInt8] = []
        // File offset of pending[0].
        var pendingStart = start
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while offset < end && result.count < limit {
            let wanted = min(chunk.count, end - offset)
            let count = chunk.withUnsafeMutableBytes { raw in
                (try? descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<wanted]), at: offset)) ?? -1
            }
            guard count > 0 else { break }
            offset += count
            pending.append(contentsOf: chunk[0..<count])
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            for line in pending[..<lastNewline].split(separator: UInt8(ascii: "\n")) {
                guard let seq = LogLineScanner.int(.seq, in: line) else { continue }
                if seq % indexSpacing == 1 { found.append((seq, pendingStart + line.startIndex)) }
                if seq > after {
                    result.append(line)
                    if result.count == limit { break }
                }
            }
            pendingStart += lastNewline + 1
            pending.removeSubrange(...lastNewline)
        }
        if !found.isEmpty { addToIndex(found) }
        return result
    }

    /// Merges index entries found by reading the file into the index (kept sorted by seq).
    private func addToIndex(_ entries: [(seq: Int, offset: Int)]) {
        state.withLock { state in
            let known = Set(state.index.map(\.seq))
            let new = entries.filter { !known.contains($0.seq) }
            guard !new.isEmpty else { return }
            state.index.append(contentsOf: new)
            state.index.sort { $0.seq < $1.seq }
        }
    }

    /// Seqs of the lines the index points at, for tests.
    var indexedSeqs: [Int] {
        state.withLock { $0.index.map(\.seq) }
    }
}
