import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// Mutated copies of a good simulated run: each break must fail exactly the checks it breaks.
@Suite struct BrokenLogTests {
    /// A good run (VM 1 at 2/s is far behind, so it ends with unprocessed messages), its folder and lines.
    struct Base {
        let folder: TemporaryFolder
        let logs: RunLogs

        init() throws {
            folder = try TemporaryFolder()
            let good = try folder.folder("good")
            try SimulatedRun.write(
                SimulatedCluster.Configuration(tickRates: [2, 5, 9], seed: 1), duration: 120, to: good)
            logs = try RunLogs.read(good)
            let analysis = try RunAnalyzer.analyze(directory: good)
            expectChecks(analysis.checks, failing: [])
        }

        /// Writes `logs` into a new folder and analyzes it.
        func analyze(_ logs: RunLogs) throws -> RunAnalysis {
            let broken = try folder.folder("broken-\(UUID().uuidString)")
            try logs.write(to: broken)
            return try RunAnalyzer.analyze(directory: broken)
        }
    }

    func check(_ analysis: RunAnalysis, _ name: String) throws -> CheckResult {
        try #require(analysis.checks.first { $0.name == name })
    }

    @Test("a receive naming a send its sender logs later, addressed to another VM, fails receive_matches_send")
    func receiveOfALaterSend() throws {
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(1)
        // VM 1's first receive from VM 3; VM 3's first send to VM 2 only, logged after that receive.
        let index = try #require(records.firstIndex { $0.kind == .receive && $0.from == 3 })
        let receive = records[index]
        let laterSend = try #require(
            try logs.records(3).first { $0.kind == .send && $0.to == [2] && $0.time > receive.time })
        logs.lines[1]![index] = try LineEdit.set("send_seq", to: String(laterSend.seq), in: logs.lines[1]![index])

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["receive_matches_send", "messages_accounted"])
        let match = try check(analysis, "receive_matches_send")
        #expect(match.failed == 1)
        #expect(match.examples.first?.contains("not addressed to VM 1") == true, "\(match.examples)")
        // The message VM 1 really received is now nobody's.
        #expect(analysis.accounting.unaccounted == 1)
        #expect(try check(analysis, "messages_accounted").failed == 1)
    }

    @Test("a receive stamped before its send, nothing else changed, is still matched: time stamps do not order VMs")
    func receiveStampedBeforeItsSend() throws {
        // By design (docs/log-format.md: ticks run in batches stamped with the batch's start), so
        // only a receive naming the wrong send fails, as the tests above show.
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(1)
        let index = try #require(records.firstIndex { $0.kind == .receive && $0.from == 3 })
        let receive = records[index]
        let send = try #require(try logs.records(3).first { $0.seq == receive.sendSeq })
        logs.lines[1]![index] = try LineEdit.set(
            "time", to: LineEdit.timeText(send.time - 1000), in: logs.lines[1]![index])

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.accounting.unaccounted == 0)
    }

    @Test("a receive naming a send that was never logged fails receive_matches_send")
    func receiveOfNoSend() throws {
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(2)
        let index = try #require(records.firstIndex { $0.kind == .receive })
        let sender = try #require(records[index].from)
        let beyondTheEnd = try logs.records(sender).count + 10
        logs.lines[2]![index] = try LineEdit.set("send_seq", to: String(beyondTheEnd), in: logs.lines[2]![index])

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["receive_matches_send", "messages_accounted"])
        let match = try check(analysis, "receive_matches_send")
        #expect(match.failed == 1)
        #expect(match.examples.first?.contains("logged no such send") == true, "\(match.examples)")
        #expect(analysis.accounting.unaccounted == 1)
    }

    @Test("a gap in one VM's seq fails seq_without_gaps only")
    func seqGap() throws {
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(2)
        // Renumber every line after VM 2's last send (no message names their seq) one higher.
        let lastSend = try #require(records.lastIndex { $0.kind == .send })
        let from = lastSend + 2
        try #require(from < records.count)
        for index in from..<records.count {
            logs.lines[2]![index] = try LineEdit.set(
                "seq", to: String(records[index].seq + 1), in: logs.lines[2]![index])
        }

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["seq_without_gaps"])
        let seq = try check(analysis, "seq_without_gaps")
        #expect(seq.failed == 1)
        #expect(
            seq.examples == [
                "VM 2: seq \(records[from].seq + 1) follows \(records[from - 1].seq) (expected \(records[from].seq))"
            ])
    }

    @Test("a missing first line fails seq_without_gaps only")
    func missingFirstLine() throws {
        let base = try Base()
        var logs = base.logs
        #expect(logs.lines[3]![0].contains(#""type":"peer_up""#))
        logs.lines[3]!.removeFirst()
        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["seq_without_gaps"])
        #expect(try check(analysis, "seq_without_gaps").failed == 1)
    }

    @Test("a receive deleted (seq and clocks renumbered) leaves its message unaccounted, and only that fails")
    func messageNobodyReceived() throws {
        let base = try Base()
        var logs = base.logs
        // A receive after which its VM sends nothing, so no other log names the clocks that change.
        var chosen: (vm: Int, index: Int)?
        for vm in [3, 2, 1] where chosen == nil {
            let records = try logs.records(vm)
            let lastSend = records.lastIndex { $0.kind == .send } ?? -1
            if let index = records.lastIndex(where: { $0.kind == .receive }), index > lastSend {
                chosen = (vm, index)
            }
        }
        let (vm, index) = try #require(chosen, "no VM receives after its last send")
        let records = try logs.records(vm)
        let deleted = records[index]
        var lines = logs.lines[vm]!
        lines.remove(at: index)
        // Renumber what follows and replay the Lamport rules from the clock before the receive.
        var clock = records[index - 1].clock
        for position in index..<lines.count {
            let record = records[position + 1]
            switch record.kind {
            case .internalEvent, .send: clock += 1
            case .receive: clock = max(clock, record.msgClock!) + 1
            default: break
            }
            var line = try LineEdit.set("seq", to: String(record.seq - 1), in: lines[position])
            line = try LineEdit.set("clock", to: String(clock), in: line)
            lines[position] = line
        }
        logs.lines[vm] = lines

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.accounting.unaccounted == 1)
        #expect(analysis.accounting.lostToCrash == 0)
        #expect(analysis.crashedVMs.isEmpty)
        let accounted = try check(analysis, "messages_accounted")
        #expect(accounted.failed == 1)
        #expect(
            accounted.examples == [
                "VM \(deleted.from!) send \(deleted.sendSeq!) to VM \(vm): never received nor logged as unprocessed"
            ])
    }

    @Test("a receive whose msg_clock differs from its send's clock (no clock jump) fails receive_matches_send only")
    func wrongMessageClockWithoutJump() throws {
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(3)
        // VM 3 is the fastest: its clock is usually ahead, so a receive rarely jumps it.
        let index = try #require(
            records.indices.first { records[$0].kind == .receive && records[$0 - 1].clock > records[$0].msgClock! })
        let receive = records[index]
        logs.lines[3]![index] = try LineEdit.set(
            "msg_clock", to: String(receive.msgClock! + 1), in: logs.lines[3]![index])

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["receive_matches_send"])
        let match = try check(analysis, "receive_matches_send")
        #expect(match.failed == 1)
        #expect(
            match.examples.first?.contains("message clock \(receive.msgClock! + 1), send clock \(receive.msgClock!)")
                == true)
    }

    @Test(
        "a receive whose msg_clock was raised past what its clock allows also fails lamport_rules and clock_condition")
    func wrongMessageClockWithJump() throws {
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(1)
        // VM 1 is the slowest: its receives jump its clock to msg_clock + 1.
        let index = try #require(
            records.indices.first { records[$0].kind == .receive && records[$0 - 1].clock < records[$0].msgClock! })
        let receive = records[index]
        #expect(receive.clock == receive.msgClock! + 1)
        logs.lines[1]![index] = try LineEdit.set(
            "msg_clock", to: String(receive.msgClock! + 1), in: logs.lines[1]![index])

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["receive_matches_send", "lamport_rules", "clock_condition"])
        #expect(try check(analysis, "receive_matches_send").failed == 1)
        #expect(try check(analysis, "lamport_rules").failed == 1)
        #expect(try check(analysis, "clock_condition").failed == 1)
        #expect(analysis.accounting.unaccounted == 0)
    }

    @Test("a receive whose clock is not greater than its msg_clock fails clock_condition (and lamport_rules)")
    func receiveClockNotAboveMessageClock() throws {
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(1)
        let index = try #require(
            records.indices.first { records[$0].kind == .receive && records[$0 - 1].clock < records[$0].msgClock! })
        let receive = records[index]
        logs.lines[1]![index] = try LineEdit.set("clock", to: String(receive.msgClock!), in: logs.lines[1]![index])

        let analysis = try base.analyze(logs)
        // The Lamport receive rule (max + 1) implies the clock condition, so both break.
        expectChecks(analysis.checks, failing: ["clock_condition", "lamport_rules"])
        let condition = try check(analysis, "clock_condition")
        #expect(condition.failed == 1)
        #expect(
            condition.examples == [
                "VM 1 seq \(receive.seq): receive clock \(receive.msgClock!) <= message clock \(receive.msgClock!)"
            ])
        #expect(analysis.accounting.unaccounted == 0)
    }

    @Test("a VM whose log ends without its stop line crashed: messages to it are lost to the crash, not unaccounted")
    func crashedVM() throws {
        let base = try Base()
        var logs = base.logs
        let records = try logs.records(1)
        #expect(records.last?.kind == .stop)
        let trailing = records.reversed().prefix { $0.kind == .stop || $0.kind == .unprocessed }
        let unprocessed = trailing.filter { $0.kind == .unprocessed }.count
        try #require(unprocessed > 10, "VM 1 should end with a queue")
        logs.lines[1]!.removeLast(trailing.count)

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.crashedVMs == [1])
        #expect(analysis.accounting.lostToCrash == unprocessed)
        #expect(analysis.accounting.unaccounted == 0)
        #expect(analysis.accounting.unprocessed == 0)
        #expect(analysis.summaries[0].stopReason == nil)
        #expect(
            analysis.accounting.sent
                == analysis.accounting.received + analysis.accounting.unprocessed + analysis.accounting.lostToCrash)
    }

    @Test(
        "a receive deleted from a VM that crashed later fails messages_accounted (a later message of that sender came first)"
    )
    func deletedReceiveBeforeACrash() throws {
        let base = try Base()
        var logs = base.logs
        // VM 1 (the slowest) only receives after its last send. Its last receive, and the one before
        // it from the same sender.
        let records = try logs.records(1)
        let lastSend = try #require(records.lastIndex { $0.kind == .send })
        let later = try #require(records.lastIndex { $0.kind == .receive })
        let sameSender = records.indices.filter {
            $0 > lastSend && $0 < later && records[$0].kind == .receive && records[$0].from == records[later].from
        }
        let index = try #require(sameSender.last, "VM 1 should receive twice from one sender after its last send")
        let deleted = records[index]
        // VM 1 crashes right after `later`; the receive at `index` is deleted and what follows
        // renumbered, replaying the Lamport rules (no other log names these lines).
        var lines = Array(logs.lines[1]![0...later])
        lines.remove(at: index)
        var clock = records[index - 1].clock
        for position in index..<lines.count {
            let record = records[position + 1]
            switch record.kind {
            case .internalEvent, .send: clock += 1
            case .receive: clock = max(clock, record.msgClock!) + 1
            default: break
            }
            var line = try LineEdit.set("seq", to: String(record.seq - 1), in: lines[position])
            line = try LineEdit.set("clock", to: String(clock), in: line)
            lines[position] = line
        }
        logs.lines[1] = lines
        let lostWithTheCrash = records[(later + 1)...].filter { $0.kind == .receive || $0.kind == .unprocessed }.count
        try #require(lostWithTheCrash > 0)

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.crashedVMs == [1])
        #expect(analysis.accounting.unaccounted == 1)
        #expect(analysis.accounting.lostToCrash == lostWithTheCrash)
        #expect(
            try check(analysis, "messages_accounted").examples == [
                "VM \(deleted.from!) send \(deleted.sendSeq!) to VM 1: never received nor logged as unprocessed "
                    + "(VM 1 crashed, but no crash of it can have lost this message)"
            ])
    }

    @Test("a log that ends in a line cut short is analysed up to it, with a note naming the VM and the byte offset")
    func cutShortLastLine() throws {
        let base = try Base()
        var logs = base.logs
        // VM 2 crashed in the middle of a line: its unprocessed and stop lines never came, and the
        // next line after its last complete one is cut.
        let records = try logs.records(2)
        let trailing = records.reversed().prefix { $0.kind == .stop || $0.kind == .unprocessed }.count
        logs.lines[2]!.removeLast(trailing)
        let kept = logs.lines[2]!
        let folder = try base.folder.folder("cut-\(UUID().uuidString)")
        try logs.write(to: folder)
        let cut = #"{"seq":\#(records.count - trailing + 1),"vm":2,"type":"inter"#
        let handle = try #require(FileHandle(forWritingAtPath: folder + "/vm2.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(cut.utf8))
        try handle.close()

        let analysis = try RunAnalyzer.analyze(directory: folder)
        expectChecks(analysis.checks, failing: [])
        let offset = kept.reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(analysis.cutShortLines == [CutShortLine(vm: 2, offset: offset, bytes: cut.utf8.count)])
        #expect(analysis.crashedVMs == [2])
        let lineCount = try logs.allRecords().count
        #expect(analysis.lines == lineCount)
        let text = SummaryTable.render(analysis)
        #expect(
            text.contains(
                "note: VM 2's log ends in a line cut short at byte \(offset) (\(cut.utf8.count) bytes without a line "
                    + "break, not analysed)"), "\(text)")
        let document = AnalysisReport.document(analysis, plots: RunPlots(analysis)).markdown()
        #expect(document.contains("VM 2's log ends in a line cut short at byte \(offset)"))
    }

    @Test("a line of another VM (or of a VM id that cannot be) in a log is an error naming the file and line")
    func lineOfAnotherVM() throws {
        for vm in ["5", "-1", "0", "4000000000"] {
            let base = try Base()
            var logs = base.logs
            logs.lines[2]![3] = try LineEdit.set("vm", to: vm, in: logs.lines[2]![3])
            do {
                _ = try base.analyze(logs)
                Issue.record("a line of VM \(vm) in vm2.jsonl should be an error")
            } catch {
                #expect("\(error)".hasSuffix("vm2.jsonl:4: a line of VM \(vm) in the log of VM 2"), "\(error)")
            }
        }
    }

    @Test(
        "a configured tick rate far from the measured one fails tick_rate_within_1_percent only",
        arguments: [(6.0, false), (5.06, false), (5.04, true), (4.96, true), (4.94, false)])
    func tickRateOff(configured: Double, passes: Bool) throws {
        let base = try Base()
        var logs = base.logs
        let index = try #require(logs.lines[2]!.firstIndex { $0.contains(#""type":"start""#) })
        logs.lines[2]![index] = try LineEdit.set("tick_rate", to: String(configured), in: logs.lines[2]![index])

        let analysis = try base.analyze(logs)
        expectChecks(analysis.checks, failing: passes ? [] : ["tick_rate_within_1_percent"])
        let rate = try check(analysis, "tick_rate_within_1_percent")
        #expect(rate.checked == 3)
        #expect(rate.failed == (passes ? 0 : 1))
        if !passes {
            #expect(
                rate.examples.first?.hasPrefix("VM 2: configured \(configured)/s, measured 5.0/s") == true,
                "\(rate.examples)")
        }
    }
}
