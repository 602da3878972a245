import EventLog

/// Chooses which file's next line `LogMerger` takes: the earliest by time stamp (ties: the first
/// file), skipping a `receive` or `unprocessed` line whose send has not been taken yet. The send
/// of message (from, send_seq) has gone by once the file of VM `from` got past line `send_seq`.
///
/// When every waiting line waits (a send missing from its log, a log of a VM not in the folder),
/// the earliest line is taken anyway, so the walk always ends; the checks report the message.
///
/// The heads that may go sit in a heap (O(log n) per line in the number of files); a head that
/// waits is parked on the file of its sender and goes back into the heap once that file got past
/// the send or ended (a waiting head is rare: only a message stamped before its send).
struct CausalOrder {
    /// Per VM id, the index of its file (-1: no file); ids are small (1...TOTAL_VMS).
    private var fileOfVM: [Int] = []
    /// Per file, the seq of the last line taken.
    private var takenSeq: [Int]
    /// Files whose head is not known to wait, by head time.
    private var heap = MergeHeap()
    /// Per file, the files whose head waits for a line of it.
    private var waitingOn: [[Int]]
    /// Files whose head waits (any sender).
    private var waiting: Set<Int> = []

    init(heads: [LogRecord?]) {
        takenSeq = Array(repeating: 0, count: heads.count)
        waitingOn = Array(repeating: [], count: heads.count)
        for (index, head) in heads.enumerated() {
            guard let head else { continue }
            heap.push(file: index, time: head.time)
            guard head.vm >= 0 else { continue }
            let vm = head.vm
            if vm >= fileOfVM.count { fileOfVM += Array(repeating: -1, count: vm - fileOfVM.count + 1) }
            fileOfVM[vm] = index
        }
    }

    /// The file whose head comes next, or nil when every file is done. The caller takes that head,
    /// reads the file's next head and then calls `taken(_:from:heads:)`.
    mutating func next(among heads: [LogRecord?]) -> Int? {
        while let index = heap.pop() {
            guard let head = heads[index] else { continue }
            if let sender = senderFileWaitedFor(head, among: heads) {
                waitingOn[sender].append(index)
                waiting.insert(index)
                continue
            }
            return index
        }
        // Every head waits: take the earliest anyway.
        guard
            let earliest = waiting.min(by: { a, b in
                let timeA = heads[a]!.time
                let timeB = heads[b]!.time
                return timeA < timeB || (timeA == timeB && a < b)
            })
        else { return nil }
        waiting.remove(earliest)
        for sender in waitingOn.indices where waitingOn[sender].contains(earliest) {
            waitingOn[sender].removeAll { $0 == earliest }
        }
        return earliest
    }

    /// The file whose progress `head` waits for, or nil when it may be taken: it is not a message,
    /// or its send has gone by (or never will: its sender has no file, or that file is done).
    @inline(__always)
    private func senderFileWaitedFor(_ head: LogRecord, among heads: [LogRecord?]) -> Int? {
        guard head.kind == .receive || head.kind == .unprocessed, let from = head.from, let sendSeq = head.sendSeq
        else { return nil }
        guard from >= 0, from < fileOfVM.count, case let file = fileOfVM[from], file >= 0 else { return nil }
        return takenSeq[file] >= sendSeq || heads[file] == nil ? nil : file
    }

    /// Records that `record`, the head of file `index`, was taken and `heads[index]` is now the
    /// file's next line (nil at its end); heads that waited for this file go back into the heap.
    mutating func taken(_ record: LogRecord, from index: Int, heads: [LogRecord?]) {
        takenSeq[index] = record.seq
        if let next = heads[index] { heap.push(file: index, time: next.time) }
        guard !waitingOn[index].isEmpty else { return }
        let released = waitingOn[index]
        waitingOn[index] = []
        for file in released {
            waiting.remove(file)
            // Checked again when popped: it parks again if it still waits.
            if let head = heads[file] { heap.push(file: file, time: head.time) }
        }
    }
}
