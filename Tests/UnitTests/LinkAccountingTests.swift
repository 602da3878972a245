import Testing

@testable import Analysis

/// `vmserver analyze`'s message accounting per directed link: every copy counted on the link
/// sender → recipient it was meant for, the links adding up to the run's accounting.
@Suite struct LinkAccountingTests {
    typealias HandLogs = CrashAccountingTests.HandLogs

    static func link(_ analysis: RunAnalysis, _ from: Int, _ to: Int) -> MessageAccounting {
        analysis.links.first { $0.from == from && $0.to == to }?.messages ?? MessageAccounting()
    }

    static func expectLinksAddUp(_ analysis: RunAnalysis, sourceLocation: SourceLocation = #_sourceLocation) {
        let total = analysis.links.reduce(into: MessageAccounting()) { $0.add($1.messages) }
        #expect(total == analysis.accounting, sourceLocation: sourceLocation)
        for link in analysis.links {
            #expect(link.messages.closes, "link \(link.from) → \(link.to)", sourceLocation: sourceLocation)
        }
    }

    @Test("lost, duplicated, dropped (at the send and by a drop line) and received, each on its own link")
    func everyFaultFateOnItsLink() throws {
        let logs = FaultAccountingTests.threeVMs()
        logs.fault(1, id: 1, kind: "loss")
        let lossy = logs.send(1, to: [2, 3], lost: [3])
        logs.receive(2, lossy)
        logs.heal(1, id: 1, kind: "loss")
        logs.fault(2, id: 1, kind: "duplicate")
        let doubled = logs.send(2, to: [3])
        logs.receive(3, doubled)
        logs.receive(3, doubled, duplicate: true)
        logs.heal(2, id: 1, kind: "duplicate")
        logs.fault(3, id: 1, kind: "partition", parameters: "")
        let held = logs.send(3, to: [1, 2])
        logs.receive(2, held)
        logs.peerDown(3, 1)
        logs.drop(held, to: 1)
        logs.send(3, to: [1, 2], dropped: [1])
        logs.heal(3, id: 1, kind: "partition")
        FaultAccountingTests.stopAll(logs)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: ["messages_accounted"])  // 3 → 2's last copy was never logged
        #expect(analysis.links.map { "\($0.from)→\($0.to)" } == ["1→2", "1→3", "2→3", "3→1", "3→2"])
        var oneToThree = MessageAccounting()
        (oneToThree.sent, oneToThree.lostToFault) = (1, 1)
        #expect(Self.link(analysis, 1, 3) == oneToThree)
        #expect(Self.link(analysis, 1, 2).received == 1)
        #expect(Self.link(analysis, 2, 3).duplicated == 1 && Self.link(analysis, 2, 3).received == 1)
        #expect(Self.link(analysis, 3, 1).sent == 2 && Self.link(analysis, 3, 1).dropped == 2)
        #expect(Self.link(analysis, 3, 2).sent == 2 && Self.link(analysis, 3, 2).received == 1)
        #expect(Self.link(analysis, 3, 2).unaccounted == 1)
        Self.expectLinksAddUp(analysis)
    }

    @Test("lost to a crash and unprocessed are counted on their links")
    func crashAndUnprocessed() throws {
        let logs = CrashAccountingTests.twoVMs()
        let first = logs.send(1, to: [2])
        logs.send(1, to: [2])  // queued at VM 2 when it dies
        logs.receive(2, first)
        let back = logs.send(2, to: [1])
        logs.peerDown(1, 2)
        logs.unprocessed(1, back)
        logs.stop(1)

        let analysis = try logs.analyze()
        expectChecks(analysis.checks, failing: [])
        #expect(Self.link(analysis, 1, 2).lostToCrash == 1 && Self.link(analysis, 1, 2).received == 1)
        #expect(Self.link(analysis, 2, 1).unprocessed == 1)
        Self.expectLinksAddUp(analysis)
    }

    @Test("ids far apart or outside the usual range are counted too, in order")
    func sparseIDs() {
        var links = LinkAccounting()
        links.count(from: 5000, to: 2) { $0.sent += 1 }
        links.count(from: 2, to: 5000) { $0.sent += 2 }
        links.count(from: 2, to: -1) { $0.sent += 3 }
        links.count(from: 1, to: 2) { $0.received += 1 }
        links.count(from: 1, to: 2) { $0.sent += 1 }
        #expect(links.links.map { "\($0.from)→\($0.to)" } == ["1→2", "2→-1", "2→5000", "5000→2"])
        #expect(links.total.sent == 7 && links.total.received == 1)
    }
}
