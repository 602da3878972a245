import EventLog

/// Chooses which file's next line `LogMerger` takes: the earliest by time stamp (ties: the first
/// file), skipping a `receive` or `unprocessed` line whose send has not been taken yet. The send
/// of message (from, send_seq) has gone by once the file of VM `from` got past line `send_seq`.
///
/// When every waiting line waits (a send missing from its log, a log of a VM not in the folder),
/// the earliest line is taken anyway, so the walk always ends; the checks report the message.
struct CausalOrder {
    /// Per VM id, the index of its file (-1: no file); ids are small (1...TOTAL_VMS).
    private var fileOfVM: [Int] = []
    /// Per file, the seq of the last line taken.
    private var takenSeq: [Int]

    init(heads: [LogRecord?]) {
        takenSeq = Array(repeating: 0, count: heads.count)
        for (index, head) in heads.enumerated() {
            guard let vm = head?.vm, vm >= 0 else { continue }
            if vm >= fileOfVM.count { fileOfVM += Array(repeating: -1, count: vm - fileOfVM.count + 1) }
            fileOfVM[vm] = index
        }
    }

    /// The file whose head comes next, or nil when every file is done.
    @inline(__always)
    func next(among heads: [LogRecord?]) -> Int? {
        var earliest: Int?
        var earliestTime = Int64.max
        for index in heads.indices {
            if let time = heads[index]?.time, time < earliestTime {
                earliest = index
                earliestTime = time
            }
        }
        // Almost always the earliest line may go; only a message stamped before its send waits.
        guard let earliest, let head = heads[earliest], !isReady(head, among: heads) else { return earliest }
        return earliestReady(among: heads) ?? earliest
    }

    /// The earliest head that may be taken, if any.
    private func earliestReady(among heads: [LogRecord?]) -> Int? {
        var best: Int?
        var bestTime = Int64.max
        for index in heads.indices {
            guard let head = heads[index], head.time < bestTime, isReady(head, among: heads) else { continue }
            best = index
            bestTime = head.time
        }
        return best
    }

    /// Whether `head` may be taken: it is not a message, or its send has gone by (or never will:
    /// its sender has no file, or that file is done).
    @inline(__always)
    private func isReady(_ head: LogRecord, among heads: [LogRecord?]) -> Bool {
        guard head.kind == .receive || head.kind == .unprocessed, let from = head.from, let sendSeq = head.sendSeq
        else { return true }
        guard from >= 0, from < fileOfVM.count, case let file = fileOfVM[from], file >= 0 else { return true }
        return takenSeq[file] >= sendSeq || heads[file] == nil
    }

    mutating func taken(_ record: LogRecord, from index: Int) {
        takenSeq[index] = record.seq
    }
}
