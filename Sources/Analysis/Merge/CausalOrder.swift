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
/// the send or ended (a waiting head is rare: only a message stamped before its send). The order
/// keeps, per file, the few fields of its head line it decides on (flat arrays, no record copies).
struct CausalOrder {
    /// Per VM id, the index of its file (-1: no file); ids are small (1...TOTAL_VMS).
    private var fileOfVM: [Int] = []
    /// Per file, the seq of the last line taken.
    private var takenSeq: [Int]
    /// What the order needs of one file's head line, together in 32 bytes (one cache line is
    /// read per file and line, however many files).
    private struct Head {
        /// Whether the file has a head line (false once it ended).
        var present = false
        var time: Int64 = 0
        /// The sender and send seq of a `receive` or `unprocessed` head naming both (sender -1
        /// otherwise).
        var sender = -1
        var sendSeq = 0
    }

    /// Per file, its head.
    private var heads: [Head]
    /// Files whose head is not known to wait, by head time.
    private var heap = MergeHeap()
    /// Per file, the files whose head waits for a line of it.
    private var waitingOn: [[Int]]
    /// Files whose head waits (any sender).
    private var waiting: Set<Int> = []

    init(heads: [LogRecord?]) {
        takenSeq = Array(repeating: 0, count: heads.count)
        self.heads = Array(repeating: Head(), count: heads.count)
        waitingOn = Array(repeating: [], count: heads.count)
        for (index, head) in heads.enumerated() {
            guard let head else { continue }
            setHead(head, of: index)
            heap.push(file: index, time: head.time)
            guard head.vm >= 0 else { continue }
            let vm = head.vm
            if vm >= fileOfVM.count { fileOfVM += Array(repeating: -1, count: vm - fileOfVM.count + 1) }
            fileOfVM[vm] = index
        }
    }

    @inline(__always)
    private mutating func setHead(_ head: LogRecord, of file: Int) {
        heads[file].present = true
        heads[file].time = head.time
        if head.kind == .receive || head.kind == .unprocessed, let from = head.from, let sendSeq = head.sendSeq {
            heads[file].sender = from
            heads[file].sendSeq = sendSeq
        } else {
            heads[file].sender = -1
        }
    }

    /// The file whose head comes next, or nil when every file is done. The caller takes that head,
    /// reads the file's next line and then calls `taken(seq:from:next:)`.
    mutating func next() -> Int? {
        while let index = heap.pop() {
            guard heads[index].present else { continue }
            if let sender = senderFileWaitedFor(index) {
                waitingOn[sender].append(index)
                waiting.insert(index)
                continue
            }
            return index
        }
        // Every head waits: take the earliest anyway.
        guard
            let earliest = waiting.min(by: { a, b in
                heads[a].time < heads[b].time || (heads[a].time == heads[b].time && a < b)
            })
        else { return nil }
        waiting.remove(earliest)
        for sender in waitingOn.indices where waitingOn[sender].contains(earliest) {
            waitingOn[sender].removeAll { $0 == earliest }
        }
        return earliest
    }

    /// The file whose progress the head of `file` waits for, or nil when it may be taken: it is not
    /// a message, or its send has gone by (or never will: its sender has no file, or that file is done).
    @inline(__always)
    private func senderFileWaitedFor(_ file: Int) -> Int? {
        let from = heads[file].sender
        guard from >= 0, from < fileOfVM.count, case let senderFile = fileOfVM[from], senderFile >= 0 else {
            return nil
        }
        return takenSeq[senderFile] >= heads[file].sendSeq || !heads[senderFile].present ? nil : senderFile
    }

    /// Records that the head of file `index`, whose seq is `seq`, was taken and that `next` is now
    /// the file's next line (nil at its end); heads that waited for this file go back into the heap.
    mutating func taken(seq: Int, from index: Int, next: LogRecord?) {
        takenSeq[index] = seq
        if let next {
            setHead(next, of: index)
            heap.push(file: index, time: next.time)
        } else {
            heads[index].present = false
        }
        guard !waitingOn[index].isEmpty else { return }
        let released = waitingOn[index]
        waitingOn[index] = []
        for file in released {
            waiting.remove(file)
            // Checked again when popped: it parks again if it still waits.
            if heads[file].present { heap.push(file: file, time: heads[file].time) }
        }
    }
}
