import Foundation
import Testing

@testable import Analysis
@testable import EventLog
@testable import LamportCore

/// Which messages a crash can explain (docs/log-format.md, rule 5): only those a run that ended
/// in a crash may have been holding. Small hand-made runs of two or three VMs, each line valid, so
/// only `messages_accounted` can fail.
@Suite struct CrashAccountingTests {
    /// Hand-made logs: each call appends one line with the right seq and Lamport clock; lines are
    /// stamped 1 ms apart in the order of the calls, so the merged order is the order written.
    final class HandLogs {
        struct Message {
            var from: Int
            var sendSeq: Int
            var clock: Int
        }

        private(set) var lines: [Int: [String]] = [:]
        private var seq: [Int: Int] = [:]
        private var clock: [Int: Int] = [:]
        private var time: Int64 = 1_780_000_000_000_000
        /// While set, lines share one time stamp (one batch of ticks).
        private var inBatch = false
        private var formatter = RFC3339Formatter()

        private func write(_ vm: Int, _ type: String, clock newClock: Int? = nil, extra: String = "") {
            let number = (seq[vm] ?? 0) + 1
            seq[vm] = number
            if let newClock { clock[vm] = newClock }
            if !inBatch { time += 1000 }
            let stamp = formatter.string(WallTime(microseconds: time))
            lines[vm, default: []].append(
                #"{"seq":\#(number),"vm":\#(vm),"type":"\#(type)","clock":\#(clock[vm] ?? 0),"time":"\#(stamp)","queue":0"#
                    + extra + "}")
        }

        func peerUp(_ vm: Int, _ peer: Int) { write(vm, "peer_up", extra: #","peer":\#(peer),"address":"x""#) }

        func peerDown(_ vm: Int, _ peer: Int, reason: String = "peer_stopped") {
            write(vm, "peer_down", extra: #","peer":\#(peer),"reason":"\#(reason)""#)
        }

        /// A `start` line; `resumedAfter` continues an earlier run that ended at that seq.
        func start(_ vm: Int, resumedAfter seq: Int? = nil) {
            write(
                vm, "start",
                extra: #","tick_rate":1000,"max_action":10"# + (seq.map { #","resumed_after_seq":\#($0)"# } ?? ""))
        }

        /// The peers connect, then the VM starts (what a process does when it begins or restarts).
        func connectAndStart(_ vm: Int, peers: [Int], resumed: Bool = false) {
            let last = lastSeq(vm)
            for peer in peers { peerUp(vm, peer) }
            let resumedAfter = resumed ? #","resumed_after_seq":\#(last)"# : ""
            write(vm, "start", extra: #","tick_rate":1000,"max_action":10"# + resumedAfter)
        }

        @discardableResult
        func send(_ vm: Int, to: [Int], dropped: [Int] = [], lost: [Int] = []) -> Message {
            let next = (clock[vm] ?? 0) + 1
            let list = to.map(String.init).joined(separator: ",")
            let down = dropped.isEmpty ? "" : #","dropped":[\#(dropped.map(String.init).joined(separator: ","))]"#
            let gone = lost.isEmpty ? "" : #","lost":[\#(lost.map(String.init).joined(separator: ","))]"#
            write(vm, "send", clock: next, extra: #","to":[\#(list)]"# + down + gone)
            return Message(from: vm, sendSeq: lastSeq(vm), clock: next)
        }

        func internalEvent(_ vm: Int) { write(vm, "internal", clock: (clock[vm] ?? 0) + 1) }

        /// A receive; `duplicate` marks a second copy, `clock` overrides the Lamport clock it gets.
        func receive(_ vm: Int, _ message: Message, duplicate: Bool = false, clock forced: Int? = nil) {
            let next = forced ?? max(clock[vm] ?? 0, message.clock) + 1
            write(
                vm, "receive", clock: next,
                extra: #","from":\#(message.from),"send_seq":\#(message.sendSeq),"msg_clock":\#(message.clock)"#
                    + (duplicate ? #","duplicate":true"# : ""))
        }

        func unprocessed(_ vm: Int, _ message: Message, duplicate: Bool = false) {
            write(
                vm, "unprocessed",
                extra: #","from":\#(message.from),"send_seq":\#(message.sendSeq),"msg_clock":\#(message.clock)"#
                    + (duplicate ? #","duplicate":true"# : ""))
        }

        /// A `fault` line of kind `kind` with id `id` and `parameters` (raw keys and values, each
        /// after a comma), and its `heal` line.
        func fault(_ vm: Int, id: Int, kind: String, parameters: String = #","probability":1"#) {
            write(vm, "fault", extra: #","id":\#(id),"kind":"\#(kind)""# + parameters)
        }

        func heal(_ vm: Int, id: Int, kind: String, reason: String = "removed") {
            write(vm, "heal", extra: #","id":\#(id),"kind":"\#(kind)","reason":"\#(reason)""#)
        }

        /// The time stamp the next line will get (microseconds since the epoch), outside a batch.
        var nextTime: Int64 { time + 1000 }

        func stop(_ vm: Int) { write(vm, "stop", extra: #","reason":"signal""#) }

        /// A `drop` line: a copy of `message` to `recipient` that the sender's faults held back and
        /// dropped when the recipient's link went down.
        func drop(_ message: Message, to recipient: Int, duplicate: Bool = false) {
            write(
                message.from, "drop",
                extra: #","to":[\#(recipient)],"send_seq":\#(message.sendSeq)"#
                    + (duplicate ? #","duplicate":true"# : ""))
        }

        /// The lines written by `body` share one time stamp, like the tick lines of one batch.
        func batch(_ body: () -> Void) {
            time += 1000
            inBatch = true
            body()
            inBatch = false
        }

        func lastSeq(_ vm: Int) -> Int { seq[vm] ?? 0 }

        func analyze() throws -> RunAnalysis {
            let folder = try TemporaryFolder()
            for (vm, vmLines) in lines {
                try (vmLines.joined(separator: "\n") + "\n").write(
                    toFile: folder.file("vm\(vm).jsonl"), atomically: true, encoding: .utf8)
            }
            return try RunAnalyzer.analyze(directory: folder.path)
        }
    }

    /// VMs 1 and 2 connected and started.
    static func twoVMs() -> HandLogs {
        let logs = HandLogs()
        logs.peerUp(1, 2)
        logs.peerUp(2, 1)
        logs.start(1)
        logs.start(2)
        return logs
    }

    static func accounted(_ analysis: RunAnalysis) throws -> CheckResult {
        try #require(analysis.checks.first { $0.name == "messages_accounted" })
    }

    @Test("a message in flight when its recipient crashed is lost to the crash; the restarted VM goes on")
    func inFlightAtACrash() throws {
        let logs = Self.twoVMs()
        let first = logs.send(1, to: [2])
        let second = logs.send(1, to: [2])
        logs.send(1, to: [2])  // in flight (or queued) when VM 2 dies
        logs.receive(2, first)
        logs.receive(2, second)
        // VM 2 is killed here: no stop line.
        logs.peerDown(1, 2)
        logs.send(1, to: [2], dropped: [2])
        logs.connectAndStart(2, peers: [1], resumed: true)
        logs.peerUp(1, 2)
        let later = logs.send(1, to: [2])
        logs.receive(2, later)
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.crashedVMs == [2])
        #expect(analysis.accounting.lostToCrash == 1)
        #expect(analysis.accounting.unaccounted == 0)
        #expect(analysis.accounting.dropped == 1)
        #expect(analysis.accounting.received == 3)
    }

    @Test("a message received and then deleted from the log fails, although its recipient crashed later")
    func receivedThenDeleted() throws {
        let logs = Self.twoVMs()
        let deleted = logs.send(1, to: [2])
        let second = logs.send(1, to: [2])
        let queued = logs.send(1, to: [2])
        // VM 2 received `deleted` here, but its line was removed; it then received a later message
        // of the same sender, so `deleted` was not waiting in its queue when it crashed.
        logs.receive(2, second)
        _ = queued
        // VM 2 is killed: no stop line. `queued` was still queued: lost to the crash.
        logs.peerDown(1, 2)
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.crashedVMs == [2])
        #expect(analysis.accounting.unaccounted == 1)
        #expect(analysis.accounting.lostToCrash == 1)
        let check = try Self.accounted(analysis)
        #expect(check.failed == 1)
        #expect(
            check.examples == [
                "VM 1 send \(deleted.sendSeq) to VM 2: never received nor logged as unprocessed "
                    + "(VM 2 crashed, but no crash of it can have lost this message)"
            ])
    }

    @Test("a message of a connection that reached a cleanly stopped run is not lost to a later crash")
    func connectionPinsTheRun() throws {
        let logs = Self.twoVMs()
        let first = logs.send(1, to: [2])
        let missing = logs.send(1, to: [2])
        logs.receive(2, first)
        // VM 2's line for `missing` was removed; it stops cleanly (so the message should be there).
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.connectAndStart(2, peers: [1], resumed: true)
        logs.peerUp(1, 2)
        logs.internalEvent(2)
        // VM 2 is killed in its second run: a crash, but not of the run that connection reached.
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.crashedVMs == [2])
        #expect(analysis.accounting.unaccounted == 1)
        #expect(analysis.accounting.lostToCrash == 0)
        #expect(try Self.accounted(analysis).examples.first?.contains("VM 1 send \(missing.sendSeq) to VM 2") == true)
    }

    @Test("a message sent after its sender heard from the recipient's restarted run is not lost to the earlier crash")
    func sentAfterHearingFromTheNewRun() throws {
        let logs = Self.twoVMs()
        let first = logs.send(1, to: [2])
        logs.receive(2, first)
        // VM 2 is killed, restarts, and sends to VM 1 from its new run.
        logs.peerDown(1, 2)
        logs.connectAndStart(2, peers: [1], resumed: true)
        logs.peerUp(1, 2)
        let hello = logs.send(2, to: [1])
        logs.receive(1, hello)
        let missing = logs.send(1, to: [2])
        // VM 2 stops cleanly without a line for `missing`.
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.crashedVMs == [2])
        #expect(analysis.accounting.unaccounted == 1)
        #expect(analysis.accounting.lostToCrash == 0)
        #expect(try Self.accounted(analysis).examples.first?.contains("VM 1 send \(missing.sendSeq) to VM 2") == true)
    }

    @Test("a VM killed while waiting for its peers (no start line) crashed: what was queued is lost to that")
    func killedBeforeItsStart() throws {
        let logs = HandLogs()
        logs.peerUp(1, 2)
        logs.peerUp(2, 1)
        logs.start(1)
        let early = logs.send(1, to: [2])
        // VM 2 is killed before its start line; it had `early` queued.
        logs.peerDown(1, 2)
        logs.connectAndStart(2, peers: [1], resumed: true)
        logs.peerUp(1, 2)
        let later = logs.send(1, to: [2])
        logs.receive(2, later)
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.stop(1)
        _ = early

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.crashedVMs == [2])
        #expect(analysis.accounting.lostToCrash == 1)
        #expect(analysis.accounting.unaccounted == 0)
    }

    @Test("a restart after a clean stop is no crash: a missing message is unaccounted")
    func restartAfterACleanStop() throws {
        let logs = Self.twoVMs()
        let first = logs.send(1, to: [2])
        logs.receive(2, first)
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.connectAndStart(2, peers: [1], resumed: true)
        logs.peerUp(1, 2)
        let missing = logs.send(1, to: [2])
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.stop(1)
        _ = missing

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.crashedVMs == [])
        #expect(analysis.accounting.unaccounted == 1)
        #expect(
            try Self.accounted(analysis).examples == [
                "VM 1 send \(missing.sendSeq) to VM 2: never received nor logged as unprocessed"
            ])
    }

    @Test("the messages of the last batch a sender logged before it crashed may never have left: lost to its crash")
    func lastBatchOfACrashedSender() throws {
        let logs = Self.twoVMs()
        let first = logs.send(1, to: [2])
        logs.receive(2, first)
        var unsent: [HandLogs.Message] = []
        logs.batch {
            // VM 1 is killed after this batch reached its log, before its messages were written.
            logs.internalEvent(1)
            unsent.append(logs.send(1, to: [2]))
            unsent.append(logs.send(1, to: [2]))
        }
        logs.peerDown(2, 1)
        logs.connectAndStart(1, peers: [2], resumed: true)
        logs.peerUp(2, 1)
        let later = logs.send(1, to: [2])
        logs.receive(2, later)
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.crashedVMs == [1])
        #expect(analysis.accounting.lostToCrash == unsent.count)
        #expect(analysis.accounting.unaccounted == 0)
    }

    @Test("a message of an earlier batch of a crashed sender left before the crash: missing, it is unaccounted")
    func earlierBatchOfACrashedSender() throws {
        let logs = Self.twoVMs()
        let missing = logs.send(1, to: [2])
        // A later batch reached the log, so the one before had written its messages.
        logs.internalEvent(1)
        logs.peerDown(2, 1)
        logs.connectAndStart(1, peers: [2], resumed: true)
        logs.peerUp(2, 1)
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.crashedVMs == [1])
        #expect(analysis.accounting.unaccounted == 1)
        #expect(
            try Self.accounted(analysis).examples == [
                "VM 1 send \(missing.sendSeq) to VM 2: never received nor logged as unprocessed"
            ])
    }

    @Test("messages queued at a clean stop are unprocessed; at a crash of a later run they are lost to it")
    func queuedAtStopAndAtCrash() throws {
        let logs = Self.twoVMs()
        let queued = logs.send(1, to: [2])
        logs.unprocessed(2, queued)
        logs.stop(2)
        logs.peerDown(1, 2)
        logs.connectAndStart(2, peers: [1], resumed: true)
        logs.peerUp(1, 2)
        let received = logs.send(1, to: [2])
        let lost = logs.send(1, to: [2])
        logs.receive(2, received)
        _ = lost
        // VM 2 is killed with `lost` queued.
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.crashedVMs == [2])
        #expect(analysis.accounting.unprocessed == 1)
        #expect(analysis.accounting.lostToCrash == 1)
        #expect(analysis.accounting.unaccounted == 0)
    }
}
