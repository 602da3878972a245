/// Checks a run's event logs against the rules every run must obey (docs/log-format.md):
/// seq without gaps, clocks following the Lamport rules, every receive matching its send with
/// the clock condition, and every message accounted for.
///
/// Feed it every line of every VM in time order (`check(logFiles:)` merges the files). Memory
/// holds only messages not yet accounted for, so it stays flat however long the run.
public struct RunChecker {
    public struct Report: Sendable, Equatable {
        public var checks: [CheckResult]
        public var accounting: MessageAccounting
        /// VMs whose log shows a crash: a run that ended without its `stop` line.
        public var crashedVMs: [Int]
        public var passed: Bool { checks.allSatisfy(\.passed) }
    }

    private struct VMProgress {
        var lastSeq = 0
        var clock = 0
        var lastKind: EventKind?
        var tickedSinceStop = false
    }

    private struct PendingSend {
        var clock: Int
        var to: [Int]
        var waiting: [Int]
    }

    private struct MessageKey: Hashable {
        var from: Int
        var sendSeq: Int
    }

    private struct Receipt {
        var vm: Int
        var seq: Int
        var kind: EventKind
        var clock: Int
        var message: PeerMessage
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
        summary: "every message sent is received, unprocessed, dropped, or lost to a crashed VM")
    private var accounting = MessageAccounting()
    /// Indexed by VM id (ids are small: 1...TOTAL_VMS).
    private var progress: [VMProgress] = []
    private var pending: [MessageKey: PendingSend] = [:]
    /// Receipts seen before their send (same time stamp, or a broken log).
    private var early: [MessageKey: [Receipt]] = [:]
    private var crashed: Set<Int> = []

    public init() {}

    /// Takes the next line of the run, in time order across VMs.
    public mutating func consume(_ record: LogRecord) {
        if record.vm >= progress.count {
            progress += Array(repeating: VMProgress(), count: record.vm - progress.count + 1)
        }
        var vm = progress[record.vm]
        let expected = vm.lastSeq + 1
        seqCheck.check(
            record.seq == expected, "VM \(record.vm): seq \(record.seq) follows \(vm.lastSeq) (expected \(expected))")
        checkClock(record, against: &vm)
        if record.kind == .start && vm.tickedSinceStop { crashed.insert(record.vm) }
        switch record.kind {
        case .internalEvent, .send, .receive: vm.tickedSinceStop = true
        case .stop: vm.tickedSinceStop = false
        default: break
        }
        vm.lastSeq = record.seq
        vm.lastKind = record.kind
        progress[record.vm] = vm
        switch record.kind {
        case .send: recordSend(record)
        case .receive, .unprocessed:
            guard let message = record.message else {
                matchCheck.fail(
                    "VM \(record.vm) seq \(record.seq): \(record.kind!.rawValue) without from/send_seq/msg_clock")
                return
            }
            let receipt = Receipt(
                vm: record.vm, seq: record.seq, kind: record.kind!, clock: record.clock, message: message)
            if record.kind == .receive {
                conditionCheck.check(
                    record.clock > message.clock,
                    "VM \(record.vm) seq \(record.seq): receive clock \(record.clock) <= message clock \(message.clock)"
                )
            }
            let key = MessageKey(from: message.from, sendSeq: message.sendSeq)
            if pending[key] != nil {
                settle(receipt, key: key)
            } else {
                early[key, default: []].append(receipt)
            }
        default: break
        }
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
        let delivered = record.to.filter { !record.dropped.contains($0) }
        accounting.sent += record.to.count
        accounting.dropped += record.to.count - delivered.count
        for _ in 0..<(record.to.count - delivered.count) { accountedCheck.pass() }
        guard !delivered.isEmpty else { return }
        pending[key] = PendingSend(clock: record.clock, to: record.to, waiting: delivered)
        if let receipts = early.removeValue(forKey: key) {
            for receipt in receipts { settle(receipt, key: key) }
        }
    }

    private mutating func settle(_ receipt: Receipt, key: MessageKey) {
        guard var send = pending[key] else { return }
        // Only built when a check fails (this runs for every message).
        func receiptContext() -> String {
            "VM \(receipt.vm) seq \(receipt.seq) (\(receipt.kind.rawValue) of VM \(key.from) send \(key.sendSeq))"
        }
        guard let index = send.waiting.firstIndex(of: receipt.vm) else {
            if send.to.contains(receipt.vm) {
                matchCheck.fail("\(receiptContext()): the message was already received or was dropped")
            } else {
                matchCheck.fail("\(receiptContext()): the send was not addressed to VM \(receipt.vm)")
            }
            return
        }
        matchCheck.check(
            receipt.message.clock == send.clock,
            "\(receiptContext()): message clock \(receipt.message.clock), send clock \(send.clock)")
        send.waiting.remove(at: index)
        accountedCheck.pass()
        if receipt.kind == .receive { accounting.received += 1 } else { accounting.unprocessed += 1 }
        pending[key] = send.waiting.isEmpty ? nil : send
    }

    /// Ends the run and returns the results.
    public mutating func finish() -> Report {
        for (vm, state) in progress.enumerated() where state.lastKind != nil && state.lastKind != .stop {
            crashed.insert(vm)
        }
        for (key, receipts) in early {
            for receipt in receipts {
                matchCheck.fail(
                    "VM \(receipt.vm) seq \(receipt.seq): \(receipt.kind.rawValue) of VM \(key.from) send \(key.sendSeq), "
                        + "but VM \(key.from) logged no such send before it")
            }
        }
        early.removeAll()
        for (key, send) in pending.sorted(by: { ($0.key.from, $0.key.sendSeq) < ($1.key.from, $1.key.sendSeq) }) {
            for recipient in send.waiting {
                if crashed.contains(recipient) {
                    accounting.lostToCrash += 1
                    accountedCheck.pass()
                } else {
                    accounting.unaccounted += 1
                    accountedCheck.fail(
                        "VM \(key.from) send \(key.sendSeq) to VM \(recipient): never received nor logged as unprocessed"
                    )
                }
            }
        }
        pending.removeAll()
        return Report(
            checks: [seqCheck, clockCheck, matchCheck, conditionCheck, accountedCheck], accounting: accounting,
            crashedVMs: crashed.sorted())
    }

    /// Checks the given log files (one per VM), merging their lines by time.
    public static func check(logFiles: [String]) throws(LogParseError) -> Report {
        var checker = RunChecker()
        try LogMerger.forEachRecord(inFiles: logFiles) { record in checker.consume(record) }
        return checker.finish()
    }
}
