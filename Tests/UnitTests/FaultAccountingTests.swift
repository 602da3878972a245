import Foundation
import Testing

@testable import Analysis

/// How `vmserver analyze` accounts for the messages of a run with faults (docs/log-format.md,
/// rule 5): copies a `loss` fault destroyed (`lost` on the send line) are lost to a fault, and a
/// second copy logged `"duplicate": true` is counted as duplicated, matched to its send and held to
/// the Lamport rules and the clock condition like any receive.
@Suite struct FaultAccountingTests {
    typealias HandLogs = CrashAccountingTests.HandLogs

    /// VMs 1, 2 and 3 connected and started.
    static func threeVMs() -> HandLogs {
        let logs = HandLogs()
        for vm in 1...3 { logs.connectAndStart(vm, peers: [1, 2, 3].filter { $0 != vm }) }
        return logs
    }

    static func stopAll(_ logs: HandLogs) {
        for vm in 1...3 { logs.stop(vm) }
    }

    @Test("loss on one link: the copies listed in lost are lost to a fault; the other link still delivers")
    func lossOnOneLink() throws {
        let logs = Self.threeVMs()
        logs.fault(1, id: 1, kind: "loss")
        let toAll = logs.send(1, to: [2, 3], lost: [3])
        let toThree = logs.send(1, to: [3], lost: [3])
        logs.receive(2, toAll)
        logs.heal(1, id: 1, kind: "loss")
        let after = logs.send(1, to: [3])
        logs.receive(3, after)
        _ = toThree
        Self.stopAll(logs)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        let accounting = analysis.accounting
        #expect(accounting.sent == 4)
        #expect(accounting.received == 2)
        #expect(accounting.lostToFault == 2)
        #expect(accounting.lostToCrash == 0)
        #expect(accounting.duplicated == 0)
        #expect(accounting.unaccounted == 0)
        let accounted = try CrashAccountingTests.accounted(analysis)
        #expect(accounted.checked == 4)
        let table = SummaryTable.render(analysis)
        #expect(
            table.contains(
                "messages (copies, one per recipient): 4 addressed = 4 sent + 0 dropped\n"
                    + "  2 received, 0 unprocessed at stop, 0 unaccounted\n"
                    + "  2 lost to a fault, 0 lost to a crash, 0 duplicate copies"))
    }

    @Test("a held copy dropped when its recipient's link went down counts as dropped, once, and only if on its way")
    func heldCopyDroppedWhenTheLinkWentDown() throws {
        let logs = Self.threeVMs()
        logs.fault(1, id: 1, kind: "partition")
        let held = logs.send(1, to: [2, 3])
        logs.receive(3, held)
        logs.peerDown(1, 2)
        logs.drop(held, to: 2)
        logs.drop(held, to: 2, duplicate: true)
        logs.heal(1, id: 1, kind: "partition")
        Self.stopAll(logs)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.accounting.sent == 2)
        #expect(analysis.accounting.received == 1)
        #expect(analysis.accounting.dropped == 1)
        #expect(analysis.accounting.unaccounted == 0)
        #expect(analysis.summaries[0].messagesDropped == 1)

        let twice = Self.threeVMs()
        let message = twice.send(1, to: [2])
        twice.receive(2, message)
        twice.drop(message, to: 2)
        Self.stopAll(twice)
        expectChecks(try twice.analyze().checks, failing: ["messages_accounted"])
    }

    @Test("a copy listed in lost that its recipient logs anyway fails receive_matches_send")
    func receiveOfALostCopy() throws {
        let logs = Self.threeVMs()
        let message = logs.send(1, to: [2], lost: [2])
        logs.receive(2, message)
        Self.stopAll(logs)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["receive_matches_send"])
        #expect(analysis.accounting.lostToFault == 1)
        #expect(analysis.accounting.received == 0)
    }

    @Test("a copy neither received nor lost is still unaccounted, also while a loss fault is active")
    func neitherReceivedNorLost() throws {
        let logs = Self.threeVMs()
        logs.fault(1, id: 1, kind: "loss")
        logs.send(1, to: [2, 3], lost: [3])  // VM 2 never logs its copy
        logs.heal(1, id: 1, kind: "loss")
        Self.stopAll(logs)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.accounting.lostToFault == 1)
        #expect(analysis.accounting.unaccounted == 1)
        let accounted = try CrashAccountingTests.accounted(analysis)
        #expect(accounted.examples.first?.contains("VM 1 send 5 to VM 2: never received") == true)
    }

    @Test("duplicates (received, also after the heal, and unprocessed) are counted apart and every check passes")
    func duplicatesAccounted() throws {
        let logs = Self.threeVMs()
        logs.fault(1, id: 1, kind: "duplicate")
        let toAll = logs.send(1, to: [2, 3])
        let toTwo = logs.send(1, to: [2])
        logs.receive(2, toAll)
        logs.receive(2, toAll, duplicate: true)
        logs.receive(3, toAll)
        logs.heal(1, id: 1, kind: "duplicate")
        // The second copy of a message sent during the fault may come after the heal.
        logs.receive(3, toAll, duplicate: true)
        logs.receive(2, toTwo)
        logs.unprocessed(2, toTwo, duplicate: true)
        Self.stopAll(logs)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        let accounting = analysis.accounting
        #expect(accounting.sent == 3)
        #expect(accounting.received == 3)
        #expect(accounting.unprocessed == 0)
        #expect(accounting.duplicated == 3)
        #expect(accounting.unaccounted == 0)
        let accounted = try CrashAccountingTests.accounted(analysis)
        #expect(accounted.checked == 3)
        let condition = try #require(analysis.checks.first { $0.name == "clock_condition" })
        #expect(condition.checked == 5)
    }

    @Test("a duplicate receive whose clock is not above its message's fails the clock condition")
    func duplicateWithABadClock() throws {
        let logs = Self.threeVMs()
        logs.fault(1, id: 1, kind: "duplicate")
        logs.internalEvent(1)
        logs.internalEvent(1)
        let message = logs.send(1, to: [2])
        logs.receive(2, message)
        logs.receive(2, message, duplicate: true, clock: message.clock)
        logs.heal(1, id: 1, kind: "duplicate")
        Self.stopAll(logs)

        let analysis = try logs.analyze()
        // The clock condition follows from the Lamport rule, so both fail; nothing else does.
        expectChecks(analysis.checks, failing: ["lamport_rules", "clock_condition"])
        let condition = try #require(analysis.checks.first { $0.name == "clock_condition" })
        #expect(condition.failed == 1)
        #expect(condition.examples.first?.contains("receive clock \(message.clock) <= message clock") == true)
        #expect(analysis.accounting.duplicated == 1)
    }

    @Test("a duplicate with no earlier copy, or of a send made with no fault active, fails receive_matches_send")
    func duplicateWithoutItsOriginal() throws {
        let logs = Self.threeVMs()
        let plain = logs.send(1, to: [2])
        logs.receive(2, plain)
        logs.fault(1, id: 1, kind: "duplicate")
        let duplicated = logs.send(1, to: [3])
        logs.receive(3, duplicated, duplicate: true)  // first copy logged as a duplicate
        logs.receive(3, duplicated)
        logs.heal(1, id: 1, kind: "duplicate")
        logs.receive(2, plain, duplicate: true)  // sent with no fault active
        Self.stopAll(logs)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["receive_matches_send"])
        let match = try #require(analysis.checks.first { $0.name == "receive_matches_send" })
        #expect(match.failed == 2)
        #expect(analysis.accounting.received == 2)
        #expect(analysis.accounting.unaccounted == 0)
    }
}
