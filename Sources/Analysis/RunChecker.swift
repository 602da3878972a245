import EventLog
import LamportCore

/// Checks a run's event logs against the rules every run must obey (docs/log-format.md):
/// seq without gaps, clocks following the Lamport rules, every receive matching its send with
/// the clock condition, and every message accounted for (lost to a fault when its `send` line lists
/// the recipient in `lost`, lost to a crash only when a run of its recipient that ended in a crash
/// may have held it: see `lostToCrash`). A receive marked `duplicate` is a second copy of a message
/// the recipient logged before: it must match that send like any receive (and obey the Lamport
/// rules and the clock condition), and counts as duplicated, not as a message accounted for.
///
/// Feed it every line of every VM in time order (`check(logFiles:)` merges the files). Memory
/// holds only messages not yet accounted for, plus those sent while their sender had a fault
/// active (a duplicate of one may still come), so it stays flat however long a run without faults.
public struct RunChecker {
    public struct Report: Sendable, Equatable {
        public var checks: [CheckResult]
        public var accounting: MessageAccounting
        /// `accounting` per directed link; the links add up to it.
        public var links: LinkAccounting
        /// VMs whose log shows a crash: a run that ended without its `stop` line (the file ends, or a
        /// `start` line's `resumed_after_seq` names a line that is not `stop`).
        public var crashedVMs: [Int]
        /// Receives stamped before their sends, which the merge ordered after them.
        public var stampSkew = StampSkew()
        public var passed: Bool { checks.allSatisfy(\.passed) }
    }

    /// What the checker knows about one VM's log so far (read and written for every line).
    private struct VMProgress {
        var lastSeq = 0
        var clock = 0
        var lastKind: EventKind?
        var tickedSinceStop = false
        /// The latest batch of tick lines (consecutive tick lines with one time stamp): its first
        /// seq, its time stamp, and the seq of its last line so far.
        var batchFirstSeq = 0
        var batchTime: Int64 = 0
        var lastTickSeq = 0
        /// Faults of the current run that have a `fault` line and no `heal` line yet.
        var activeFaults = 0

        /// The seqs of the batch of ticks that ends the run whose last line is `seq`, if it does.
        func finalBatch(endingAt seq: Int) -> ClosedRange<Int>? {
            lastTickSeq == seq && batchFirstSeq > 0 ? batchFirstSeq...seq : nil
        }
    }

    /// One VM's runs and connections, for `lostToCrash` (touched by lifecycle lines and receipts).
    private struct VMRuns {
        /// Index of the current run (0 for the first; a run is one process's stretch of the log).
        var run = 0
        /// Seq of the current run's first line.
        var runFirstSeq = 1
        var sawStartInRun = false
        var lastStopSeq: Int?
        /// Runs (indices) that ended without their `stop` line.
        var crashedRuns: [Int] = []
        /// The seqs of the last batch of ticks of each run that ended in a crash right after it: its
        /// lines reached the log, its messages may not have left (they are written after the log).
        var unsentBatches: [ClosedRange<Int>] = []
        /// `peer_up` lines so far, for any peer.
        var peerUps = 0
        /// Per peer id: the value of `peerUps` after each `peer_up` line for that peer. (These
        /// per-peer tables are keyed by id, so a VM keeps entries only for the peers it has.)
        var peerUpsFor = PeerTable<[Int]>()
        /// Per peer id: the connections to it (as `connection(to:atPeerUps:)` numbers them) that
        /// ended in a `peer_down` other than a clean stop: the link broke under them.
        var brokenConnections = PeerTable<[Int]>()
        /// Per sender id: the messages from it this VM logged (receive or unprocessed), per run and connection.
        var arrivals = PeerTable<[ArrivalSpan]>()
        /// Per sender id: (seq of a receive here, run of the sender it came from), each time that run grows.
        var heardFrom = PeerTable<[(seq: Int, run: Int)]>()

        /// Which of this VM's connections to `peer` (1, 2, ...; 0 before any) was up when its
        /// `peerUps` counter stood at `count`.
        func connection(to peer: Int, atPeerUps count: Int) -> Int {
            guard let ups = peerUpsFor[peer] else { return 0 }
            var index = ups.count
            while index > 0 && ups[index - 1] > count { index -= 1 }
            return index
        }
    }

    /// The messages from one sender that a VM logged in one run, sent over one connection.
    private struct ArrivalSpan {
        var run: Int
        /// Which of the sender's connections to this VM carried them (0: unknown).
        var connection: Int
        var lowestSendSeq: Int
        var highestSendSeq: Int
    }

    private struct PendingSend {
        var clock: Int
        var to: [Int]
        var waiting: WaitingCopies
        /// The sender's `peer_up` count and run when sending (which connection, which run).
        var senderPeerUps: Int
        var senderRun: Int
        /// Sent while the sender had a fault active: a duplicate may come after every copy was
        /// logged, so the send is kept (in `settled`) once `waiting` is empty.
        var keep: Bool
        /// The recipients whose copy was dropped or lost (it never left the sender).
        var notSent: [Int]
        /// The send line's time stamp.
        var time: Int64
    }

    private struct Receipt {
        var vm: Int
        var seq: Int
        var kind: EventKind
        /// Logged with `"duplicate": true`.
        var duplicate: Bool
        var clock: Int
        var message: PeerMessage
        /// The receiving VM's run.
        var run: Int
        /// The line's time stamp.
        var time: Int64
    }

    private var seqCheck = CheckResult(
        name: "seq_without_gaps", summary: "each VM's seq runs 1, 2, 3, ... without gaps")
    private var clockCheck = CheckResult(
        name: "lamport_rules",
        summary: "each line's clock follows the Lamport rules (tick events +1, receive max+1, lifecycle unchanged)")
    private var matchCheck = CheckResult(
        name: "receive_matches_send",
        summary: "every receive/unprocessed names a send to it whose clock equals the message clock")
    private var conditionCheck = CheckResult(
        name: "clock_condition", summary: "every receive's clock is greater than its message's clock")
    private var accountedCheck = CheckResult(
        name: "messages_accounted",
        summary:
            "every message sent is received, unprocessed, dropped, lost to a fault, lost to a crash that may have held it, "
            + "or lost with a link that broke after it was sent"
    )
    private var accounting = MessageAccounting()
    private var links = LinkAccounting()
    private var stampSkew = StampSkew()
    /// Indexed by VM id (ids are small: 1...TOTAL_VMS).
    private var progress: [VMProgress] = []
    /// Indexed by VM id, like `progress`.
    private var runs: [VMRuns] = []
    private var pending = MessageTable<PendingSend>()
    /// Sends every copy of which was logged (or dropped or lost) but that a duplicate may still
    /// name: those sent while their sender had a fault active.
    private var settled: [MessageKey: PendingSend] = [:]
    /// Receipts seen before their send (same time stamp, or a broken log).
    private var early: [MessageKey: [Receipt]] = [:]

    public init() {}

    /// Takes the next line of the run, in time order across VMs.
    public mutating func consume(_ record: LogRecord) {
        if record.vm >= progress.count {
            progress += Array(repeating: VMProgress(), count: record.vm - progress.count + 1)
            runs += Array(repeating: VMRuns(), count: record.vm - runs.count + 1)
        }
        var vm = progress[record.vm]
        let expected = vm.lastSeq + 1
        seqCheck.check(
            record.seq == expected, "VM \(record.vm): seq \(record.seq) follows \(vm.lastSeq) (expected \(expected))")
        checkClock(record, against: &vm)
        switch record.kind {
        case .internalEvent, .send, .receive:
            vm.tickedSinceStop = true
            if record.time != vm.batchTime || vm.lastTickSeq != vm.lastSeq || vm.lastTickSeq == 0 {
                vm.batchFirstSeq = record.seq
                vm.batchTime = record.time
            }
            vm.lastTickSeq = record.seq
        case .start:
            Self.startLine(record, progress: vm, of: &runs[record.vm])
            vm.tickedSinceStop = false
            // A new process has no faults (a crashed one wrote no heal lines).
            vm.activeFaults = 0
        case .fault: vm.activeFaults += 1
        case .heal: vm.activeFaults = max(0, vm.activeFaults - 1)
        case .stop:
            vm.tickedSinceStop = false
            runs[record.vm].lastStopSeq = record.seq
        case .peerUp:
            if let peer = record.peer, peer >= 0 { Self.peerUp(peer, of: &runs[record.vm]) }
        case .peerDown:
            if let peer = record.peer, peer >= 0, Self.linkBroke(reason: record.reason ?? "") {
                Self.linkBroke(to: peer, of: &runs[record.vm])
            }
        default: break
        }
        vm.lastSeq = record.seq
        vm.lastKind = record.kind
        progress[record.vm] = vm
        switch record.kind {
        case .send: recordSend(record)
        case .drop: recordDrop(record)
        case .receive, .unprocessed:
            guard let message = record.message else {
                matchCheck.fail(
                    "VM \(record.vm) seq \(record.seq): \(record.kind!.rawValue) without from/send_seq/msg_clock")
                return
            }
            let receipt = Receipt(
                vm: record.vm, seq: record.seq, kind: record.kind!, duplicate: record.duplicate, clock: record.clock,
                message: message, run: runs[record.vm].run, time: record.time)
            if record.kind == .receive {
                conditionCheck.check(
                    record.clock > message.clock,
                    "VM \(record.vm) seq \(record.seq): receive clock \(record.clock) <= message clock \(message.clock)"
                )
            }
            let key = MessageKey(from: message.from, sendSeq: message.sendSeq)
            if let slot = pending.index(forKey: key) {
                settlePending(receipt, key: key, slot: slot)
            } else if !settled.isEmpty, settled[key] != nil {
                settle(receipt, key: key)
            } else {
                early[key, default: []].append(receipt)
            }
        default: break
        }
    }

    /// A `start` line begins a new run when it continues an earlier one (`resumed_after_seq`):
    /// that run ended at the line it names, in a crash unless that line is a `stop`. A run killed
    /// before its own `start` (while waiting for peers) counts as a run of its own.
    private static func startLine(_ record: LogRecord, progress: VMProgress, of vm: inout VMRuns) {
        if let resumed = record.resumedAfterSeq, resumed >= vm.runFirstSeq {
            if vm.lastStopSeq != resumed {
                vm.crashedRuns.append(vm.run)
                if let batch = progress.finalBatch(endingAt: resumed) { vm.unsentBatches.append(batch) }
            }
            vm.run += 1
            vm.runFirstSeq = resumed + 1
        } else if vm.sawStartInRun {
            // A second start without resumed_after_seq (a log of an older format): the earlier run
            // crashed if it ticked after its last stop.
            if progress.tickedSinceStop { vm.crashedRuns.append(vm.run) }
            vm.run += 1
            vm.runFirstSeq = record.seq
        }
        vm.sawStartInRun = true
    }

    /// Whether a `peer_down` reason means the link broke under the messages on it: the peer fell
    /// silent (a cut network, a frozen or vanished host), the connection failed or was closed by
    /// the peer's side, or a new connection replaced it (the peer restarted). Not a clean goodbye
    /// (`peer_stopped`), nor `send_buffer_full` (the connection stayed), nor a connection this VM
    /// closed for a bad frame or a protocol error (a bug, whose missing messages must fail).
    static func linkBroke(reason: String) -> Bool {
        reason.hasPrefix("no frame from the peer") || reason.hasPrefix("connection error")
            || reason == "connection closed by peer" || reason == "replaced by a new connection"
    }

    private static func linkBroke(to peer: Int, of vm: inout VMRuns) {
        let connection = vm.peerUpsFor[peer]?.count ?? 0
        if connection > 0 { vm.brokenConnections[peer, default: []].append(connection) }
    }

    private static func peerUp(_ peer: Int, of vm: inout VMRuns) {
        vm.peerUps += 1
        vm.peerUpsFor[peer, default: []].append(vm.peerUps)
    }

    private mutating func checkClock(_ record: LogRecord, against vm: inout VMProgress) {
        let previous = vm.clock
        let expected: Int
        switch record.kind {
        case .internalEvent, .send: expected = previous + 1
        case .receive: expected = max(previous, record.msgClock ?? 0) + 1
        case nil:
            clockCheck.fail("VM \(record.vm) seq \(record.seq): unknown type")
            return
        default: expected = previous
        }
        clockCheck.check(
            record.clock == expected,
            "VM \(record.vm) seq \(record.seq) (\(record.kind!.rawValue)): clock \(record.clock), expected \(expected)")
        vm.clock = record.clock
    }

    private mutating func recordSend(_ record: LogRecord) {
        let key = MessageKey(from: record.vm, sendSeq: record.seq)
        // Nearly every send has neither dropped nor lost copies: then every copy is on its way.
        let allDelivered = record.dropped.isEmpty && record.lost.isEmpty
        let dropped = allDelivered ? 0 : record.to.filter { record.dropped.contains($0) }.count
        let lost =
            allDelivered ? 0 : record.to.filter { !record.dropped.contains($0) && record.lost.contains($0) }.count
        let waiting =
            allDelivered
            ? WaitingCopies(all: record.to)
            : WaitingCopies(to: record.to) { !record.dropped.contains($0) && !record.lost.contains($0) }
        accounting.sent += record.to.count
        accounting.dropped += dropped
        accounting.lostToFault += lost
        for _ in 0..<(dropped + lost) { accountedCheck.pass() }
        for recipient in record.to {
            let isDropped = !record.dropped.isEmpty && record.dropped.contains(recipient)
            let isLost = !isDropped && !record.lost.isEmpty && record.lost.contains(recipient)
            links.count(from: record.vm, to: recipient) { link in
                link.sent += 1
                if isDropped { link.dropped += 1 } else if isLost { link.lostToFault += 1 }
            }
        }
        for recipient in record.dropped + record.lost where !record.to.contains(recipient) {
            accountedCheck.fail(
                "VM \(record.vm) send \(record.seq): VM \(recipient) is listed as dropped or lost but not in to")
        }
        let send = PendingSend(
            clock: record.clock, to: record.to, waiting: waiting, senderPeerUps: runs[record.vm].peerUps,
            senderRun: runs[record.vm].run, keep: progress[record.vm].activeFaults > 0,
            notSent: allDelivered ? [] : record.dropped + record.lost, time: record.time)
        if !waiting.isEmpty {
            pending[key] = send
        } else if send.keep {
            settled[key] = send
        }
        if !early.isEmpty, let receipts = early.removeValue(forKey: key) {
            for receipt in receipts { settle(receipt, key: key) }
        }
    }

    /// A `drop` line: a copy its sender's faults held back never left, its recipient's link having
    /// gone down. The original copy counts as dropped (recipient down) and is no longer waited
    /// for; a dropped duplicate copy changes nothing (its original is accounted for by itself).
    private mutating func recordDrop(_ record: LogRecord) {
        guard let sendSeq = record.sendSeq, let recipient = record.to.first, record.to.count == 1 else {
            accountedCheck.fail("VM \(record.vm) seq \(record.seq): a drop line needs send_seq and one recipient in to")
            return
        }
        if record.duplicate { return }
        let key = MessageKey(from: record.vm, sendSeq: sendSeq)
        guard var send = pending[key], let index = send.waiting.firstIndex(of: recipient) else {
            accountedCheck.fail(
                "VM \(record.vm) seq \(record.seq): drop of send \(sendSeq) to VM \(recipient), "
                    + "which is not a copy still on its way")
            return
        }
        send.waiting.remove(at: index)
        send.notSent.append(recipient)
        accounting.dropped += 1
        links.count(from: record.vm, to: recipient) { $0.dropped += 1 }
        accountedCheck.pass()
        keep(send, key: key)
    }

    /// Puts `send` back after one of its copies was accounted for: still pending while a copy is
    /// on its way, then kept in `settled` only if a duplicate may still name it.
    private mutating func keep(_ send: PendingSend, key: MessageKey) {
        if send.waiting.isEmpty {
            pending[key] = nil
            if send.keep { settled[key] = send }
        } else {
            pending[key] = send
        }
    }

    /// `settle` of a receipt whose send is pending at `slot` of `pending`, for the common case
    /// (not a duplicate, one of the copies still waited for), changed in place; any other case
    /// goes to `settle`.
    private mutating func settlePending(_ receipt: Receipt, key: MessageKey, slot: Int) {
        guard !receipt.duplicate, let send = Self.takeCopy(to: receipt.vm, of: &pending[valueAt: slot]) else {
            settle(receipt, key: key)
            return
        }
        stampSkew.note(
            sendTime: send.time, receiveTime: receipt.time, from: key.from, sendSeq: key.sendSeq, to: receipt.vm)
        matchCheck.check(
            receipt.message.clock == send.clock,
            "VM \(receipt.vm) seq \(receipt.seq) (\(receipt.kind.rawValue) of VM \(key.from) send \(key.sendSeq)): "
                + "message clock \(receipt.message.clock), send clock \(send.clock)")
        countArrival(receipt, key: key, senderPeerUps: send.senderPeerUps, senderRun: send.senderRun)
        if send.wasLast {
            let done = pending.remove(at: slot)
            if done.keep { settled[key] = done }
        }
    }

    /// Takes `recipient` off the copies `send` waits for and returns what settling its copy needs
    /// (reading the send in place, without copying it); nil when no copy to `recipient` is waited for.
    private static func takeCopy(
        to recipient: Int, of send: inout PendingSend
    ) -> (clock: Int, time: Int64, senderPeerUps: Int, senderRun: Int, wasLast: Bool)? {
        guard let index = send.waiting.firstIndex(of: recipient) else { return nil }
        send.waiting.remove(at: index)
        return (send.clock, send.time, send.senderPeerUps, send.senderRun, send.waiting.isEmpty)
    }

    private mutating func settle(_ receipt: Receipt, key: MessageKey) {
        guard var send = pending[key] ?? settled[key] else {
            matchCheck.fail(
                "VM \(receipt.vm) seq \(receipt.seq): \(receipt.duplicate ? "duplicate " : "")\(receipt.kind.rawValue) "
                    + "of VM \(key.from) send \(key.sendSeq), but "
                    + (receipt.duplicate
                        ? "VM \(key.from) had no fault active when it sent it" : "every copy was dropped or lost"))
            return
        }
        stampSkew.note(
            sendTime: send.time, receiveTime: receipt.time, from: key.from, sendSeq: key.sendSeq, to: receipt.vm)
        // Only built when a check fails (this runs for every message).
        func receiptContext() -> String {
            "VM \(receipt.vm) seq \(receipt.seq) (\(receipt.duplicate ? "duplicate " : "")\(receipt.kind.rawValue) "
                + "of VM \(key.from) send \(key.sendSeq))"
        }
        if receipt.duplicate {
            settleDuplicate(receipt, of: send, context: receiptContext)
            return
        }
        guard let index = send.waiting.firstIndex(of: receipt.vm) else {
            if send.to.contains(receipt.vm) {
                matchCheck.fail("\(receiptContext()): the message was already received, or was dropped or lost")
            } else {
                matchCheck.fail("\(receiptContext()): the send was not addressed to VM \(receipt.vm)")
            }
            return
        }
        matchCheck.check(
            receipt.message.clock == send.clock,
            "\(receiptContext()): message clock \(receipt.message.clock), send clock \(send.clock)")
        send.waiting.remove(at: index)
        countArrival(receipt, key: key, senderPeerUps: send.senderPeerUps, senderRun: send.senderRun)
        keep(send, key: key)
    }

    /// A second copy (`"duplicate": true`): the send was addressed to the recipient, its copy was
    /// neither dropped nor lost, the recipient logged it before (so it is no longer waited for),
    /// and the clocks match. It is counted as duplicated and leaves the send as it is.
    private mutating func settleDuplicate(_ receipt: Receipt, of send: PendingSend, context: () -> String) {
        guard send.to.contains(receipt.vm) else {
            matchCheck.fail("\(context()): the send was not addressed to VM \(receipt.vm)")
            return
        }
        guard !send.notSent.contains(receipt.vm) else {
            matchCheck.fail("\(context()): the copy to VM \(receipt.vm) was dropped or lost")
            return
        }
        guard !send.waiting.contains(receipt.vm) else {
            matchCheck.fail("\(context()): VM \(receipt.vm) logged no earlier copy of the message")
            return
        }
        matchCheck.check(
            receipt.message.clock == send.clock,
            "\(context()): message clock \(receipt.message.clock), send clock \(send.clock)")
        accounting.duplicated += 1
        links.count(from: receipt.message.from, to: receipt.vm) { $0.duplicated += 1 }
    }

    /// Counts a copy that arrived where it was waited for: as received or unprocessed, in the run's
    /// accounting and its link's, and what it tells about runs (`recordArrival`).
    private mutating func countArrival(_ receipt: Receipt, key: MessageKey, senderPeerUps: Int, senderRun: Int) {
        recordArrival(receipt, senderPeerUps: senderPeerUps, senderRun: senderRun)
        accountedCheck.pass()
        if receipt.kind == .receive {
            accounting.received += 1
            links.count(from: key.from, to: receipt.vm) { $0.received += 1 }
        } else {
            accounting.unprocessed += 1
            links.count(from: key.from, to: receipt.vm) { $0.unprocessed += 1 }
        }
    }

    /// Notes what a receive or unprocessed line tells about runs and connections (for `lostToCrash`).
    private mutating func recordArrival(_ receipt: Receipt, senderPeerUps: Int, senderRun: Int) {
        let sender = receipt.message.from
        guard sender >= 0, sender < runs.count else { return }
        let sendSeq = receipt.message.sendSeq
        let connection = runs[sender].connection(to: receipt.vm, atPeerUps: senderPeerUps)
        let vm = receipt.vm
        Self.note(sendSeq, run: receipt.run, connection: connection, in: &runs[vm].arrivals[sender, default: []])
        // Only a sender that restarted has a later run to hear from.
        guard receipt.kind == .receive, senderRun > 0 else { return }
        if runs[vm].heardFrom[sender]?.last.map({ senderRun > $0.run && receipt.seq > $0.seq }) ?? true {
            runs[vm].heardFrom[sender, default: []].append((receipt.seq, senderRun))
        }
    }

    /// Adds a message's send_seq to the span of its run and connection (nearly always the newest).
    private static func note(_ sendSeq: Int, run: Int, connection: Int, in spans: inout [ArrivalSpan]) {
        if let last = spans.indices.last, spans[last].run == run, spans[last].connection == connection {
            spans[last].lowestSendSeq = min(spans[last].lowestSendSeq, sendSeq)
            spans[last].highestSendSeq = max(spans[last].highestSendSeq, sendSeq)
        } else if let index = spans.lastIndex(where: { $0.run == run && $0.connection == connection }) {
            spans[index].lowestSendSeq = min(spans[index].lowestSendSeq, sendSeq)
            spans[index].highestSendSeq = max(spans[index].highestSendSeq, sendSeq)
        } else {
            spans.append(ArrivalSpan(run: run, connection: connection, lowestSendSeq: sendSeq, highestSendSeq: sendSeq))
        }
    }

    /// Whether a message never logged by `recipient` went into a link that broke: the sender's
    /// `connection` to it ended in a broken-link `peer_down`, and the recipient logged no message
    /// of the sender sent later over that connection (one connection is first in, first out: a
    /// later one arriving means this one arrived too, and its missing line is a failure).
    private func lostWithLink(from: Int, sendSeq: Int, connection: Int, recipient: Int) -> Bool {
        guard connection > 0, from >= 0, from < runs.count, recipient >= 0, recipient < runs.count,
            runs[from].brokenConnections[recipient]?.contains(connection) == true
        else { return false }
        let arrivals = runs[recipient].arrivals[from] ?? []
        return !arrivals.contains { $0.connection == connection && $0.highestSendSeq > sendSeq }
    }

    /// Whether message (`from`, `sendSeq`) to `recipient`, sent over the sender's `connection`-th
    /// connection to it and never logged by it, can have been lost to one of its crashes
    /// (docs/log-format.md, rule 5): some run that ended in a crash may have held it.
    private func lostToCrash(from: Int, sendSeq: Int, connection: Int, recipient: Int) -> Bool {
        guard recipient >= 0, recipient < progress.count, progress[recipient].lastKind != nil else { return false }
        let receiver = runs[recipient]
        guard !receiver.crashedRuns.isEmpty else { return false }
        var lowest = 0
        var highest = receiver.run
        for span in receiver.arrivals[from] ?? [] {
            // One connection reaches one run; messages from one sender are queued in the order
            // sent and the queue is first in, first out.
            if span.highestSendSeq > sendSeq { highest = min(highest, span.run - 1) }
            if span.lowestSendSeq < sendSeq { lowest = max(lowest, span.run) }
            if connection > 0 && span.connection == connection {
                lowest = max(lowest, span.run)
                highest = min(highest, span.run)
            }
        }
        // Sent after the sender heard from a later run: the earlier ones were gone.
        if from >= 0, from < runs.count {
            for entry in runs[from].heardFrom[recipient] ?? [] where entry.seq < sendSeq {
                lowest = max(lowest, entry.run)
            }
        }
        return receiver.crashedRuns.contains { lowest <= $0 && $0 <= highest }
    }

    /// Ends the run and returns the results.
    public mutating func finish() -> Report {
        for vm in progress.indices where progress[vm].lastKind != nil && progress[vm].lastKind != .stop {
            runs[vm].crashedRuns.append(runs[vm].run)
            if let batch = progress[vm].finalBatch(endingAt: progress[vm].lastSeq) {
                runs[vm].unsentBatches.append(batch)
            }
        }
        for (key, receipts) in early {
            for receipt in receipts {
                matchCheck.fail(
                    "VM \(receipt.vm) seq \(receipt.seq): \(receipt.kind.rawValue) of VM \(key.from) send \(key.sendSeq), "
                        + "but VM \(key.from) logged no such send before it")
            }
        }
        early.removeAll()
        for (key, send) in pending.entries.sorted(by: { ($0.key.from, $0.key.sendSeq) < ($1.key.from, $1.key.sendSeq) })
        {
            for recipient in send.waiting.recipients {
                let connection =
                    key.from >= 0 && key.from < runs.count
                    ? runs[key.from].connection(to: recipient, atPeerUps: send.senderPeerUps) : 0
                if lostToCrash(from: key.from, sendSeq: key.sendSeq, connection: connection, recipient: recipient)
                    || runs[key.from].unsentBatches.contains(where: { $0.contains(key.sendSeq) })
                {
                    accounting.lostToCrash += 1
                    links.count(from: key.from, to: recipient) { $0.lostToCrash += 1 }
                    accountedCheck.pass()
                } else if lostWithLink(
                    from: key.from, sendSeq: key.sendSeq, connection: connection, recipient: recipient)
                {
                    accounting.lostWithLink += 1
                    links.count(from: key.from, to: recipient) { $0.lostWithLink += 1 }
                    accountedCheck.pass()
                } else {
                    accounting.unaccounted += 1
                    links.count(from: key.from, to: recipient) { $0.unaccounted += 1 }
                    let crashed = recipient >= 0 && recipient < runs.count && !runs[recipient].crashedRuns.isEmpty
                    accountedCheck.fail(
                        "VM \(key.from) send \(key.sendSeq) to VM \(recipient): never received nor logged as unprocessed"
                            + (crashed
                                ? " (VM \(recipient) crashed, but no crash of it can have lost this message)" : "")
                    )
                }
            }
        }
        pending.removeAll()
        let crashed = runs.indices.filter { !runs[$0].crashedRuns.isEmpty }
        return Report(
            checks: [seqCheck, clockCheck, matchCheck, conditionCheck, accountedCheck], accounting: accounting,
            links: links, crashedVMs: crashed, stampSkew: stampSkew)
    }

    /// Checks the given log files (one per VM), merging their lines by time.
    public static func check(logFiles: [String]) throws(LogParseError) -> Report {
        var checker = RunChecker()
        try LogMerger.forEachRecord(inFiles: logFiles) { record in checker.consume(record) }
        return checker.finish()
    }
}
