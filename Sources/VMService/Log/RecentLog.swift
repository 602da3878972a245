import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves pages of a VM's event log to the control plane (`GET /log`): the most recent lines from
/// memory, older ones from the file through a sparse seq -> byte offset index.
///
/// The VM's event loop hands over each chunk it writes (`record`); any thread may read.
public final class RecentLog: Sendable {
    private struct Chunk {
        var firstSeq: Int
        var lineCount: Int
        var bytes: [UInt8]
    }

    private struct State {
        var chunks: [Chunk] = []
        var lineCount = 0
        /// (seq of a line, byte offset where it starts), every `indexSpacing` lines.
        var index: [(seq: Int, offset: Int)] = []
        /// Bytes of complete lines in the file.
        var fileSize = 0
        var lastSeq = 0
    }

    public let path: String
    private let capacity: Int
    private let indexSpacing: Int
    private let state: NIOLockedValueBox<State>

    /// - Parameters:
    ///   - capacity: about how many recent lines to keep in memory.
    ///   - fileSize: bytes already in the file (an earlier run's lines), `lastSeq` their last seq.
    public init(path: String, fileSize: Int, lastSeq: Int, capacity: Int = 10_000, indexSpacing: Int = 4096) {
        self.path = path
        self.capacity = capacity
        self.indexSpacing = indexSpacing
        var initial = State()
        initial.fileSize = fileSize
        initial.lastSeq = lastSeq
        state = NIOLockedValueBox(initial)
    }

    /// Takes a chunk of complete lines just written at byte `offset` of the file, numbered
    /// `firstSeq`, `firstSeq + 1`, ... (`lineStarts` are the offsets of each line in `bytes`).
    func record(bytes: ArraySlice<UInt8>, lineStarts: [Int], firstSeq: Int, offset: Int) {
        guard !lineStarts.isEmpty else { return }
        state.withLockedValue { state in
            for (index, start) in lineStarts.enumerated() where (firstSeq + index) % indexSpacing == 1 {
                state.index.append((firstSeq + index, offset + start))
            }
            state.chunks.append(Chunk(firstSeq: firstSeq, lineCount: lineStarts.count, bytes: Array(bytes)))
            state.lineCount += lineStarts.count
            while state.chunks.count > 1, state.lineCount - state.chunks[0].lineCount >= capacity {
                state.lineCount -= state.chunks.removeFirst().lineCount
            }
            state.fileSize = offset + bytes.count
            state.lastSeq = firstSeq + lineStarts.count - 1
        }
    }

    /// Up to `limit` lines with seq > `after`, oldest first, each without its newline.
    public func lines(after: Int, limit: Int) -> [ArraySlice<UInt8>] {
        guard limit > 0 else { return [] }
        let snapshot = state.withLockedValue { $0 }
        if let first = snapshot.chunks.first, after >= first.firstSeq - 1 {
            return Self.lines(in: snapshot.chunks, after: after, limit: limit)
        }
        guard after < snapshot.lastSeq else { return [] }
        let start = snapshot.index.last(where: { $0.seq - 1 <= after })?.offset ?? 0
        return readFile(from: start, end: snapshot.fileSize, after: after, limit: limit)
    }

    private static func lines(in chunks: [Chunk], after: Int, limit: Int) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        for chunk in chunks where chunk.firstSeq + chunk.lineCount - 1 > after {
            var seq = chunk.firstSeq
            for line in chunk.bytes.split(separator: UInt8(ascii: "\n")) {
                if seq > after {
                    result.append(line)
                    if result.count == limit { return result }
                }
                seq += 1
            }
        }
        return result
    }

    /// Reads lines from the file between byte offsets, keeping those with seq > `after`.
    private func readFile(from start: Int, end: Int, after: Int, limit: Int) -> [ArraySlice<UInt8>] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var result: [ArraySlice<UInt8>] = []
        var offset = start
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while offset < end && result.count < limit {
            let wanted = min(chunk.count, end - offset)
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            guard count > 0 else { break }
            offset += count
            pending.append(contentsOf: chunk[0..<count])
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            for line in pending[..<lastNewline].split(separator: UInt8(ascii: "\n")) {
                if let seq = LogLineScanner.int("seq", in: line), seq > after {
                    result.append(line)
                    if result.count == limit { break }
                }
            }
            pending.removeSubrange(...lastNewline)
        }
        return result
    }
}
