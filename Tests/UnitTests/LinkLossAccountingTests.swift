import Testing

@testable import Analysis

/// Messages written into a link that was already dead (a cut network: TCP takes them, nobody gets
/// them, and the sender notices only when the link falls silent): lost with the link, not
/// unaccounted, unless a later message of the same connection arrived.
@Suite struct LinkLossAccountingTests {
    typealias HandLogs = CrashAccountingTests.HandLogs

    /// VM 1 sends two messages VM 2 never logs, then notices the link is dead and links again;
    /// `later` adds a message of the same connection that VM 2 did receive.
    static func cutRun(reason: String, laterArrives: Bool = false) throws -> RunAnalysis {
        let logs = CrashAccountingTests.twoVMs()
        let delivered = logs.send(1, to: [2])
        logs.receive(2, delivered)
        _ = logs.send(1, to: [2])
        _ = logs.send(1, to: [2])
        if laterArrives { logs.receive(2, logs.send(1, to: [2])) }
        logs.peerDown(1, 2, reason: reason)
        logs.peerDown(2, 1, reason: reason)
        logs.peerUp(1, 2)
        logs.peerUp(2, 1)
        logs.receive(2, logs.send(1, to: [2]))
        logs.stop(1)
        logs.stop(2)
        return try logs.analyze()
    }

    @Test(
        "messages sent before the link was found dead are lost with it",
        arguments: ["no frame from the peer for 5 s", "connection error: Connection reset by peer"])
    func lostWithTheLink(reason: String) throws {
        let analysis = try Self.cutRun(reason: reason)
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.accounting.lostWithLink == 2)
        #expect(analysis.accounting.unaccounted == 0)
        #expect(analysis.accounting.closes)
        let link = try #require(analysis.links.first { $0.from == 1 && $0.to == 2 })
        #expect(link.messages.lostWithLink == 2)
        #expect(SummaryTable.render(analysis).contains("2 lost with a broken link"))
    }

    @Test("a later message of the same connection arrived: the missing ones are unaccounted")
    func fifoRulesItOut() throws {
        let analysis = try Self.cutRun(reason: "no frame from the peer for 5 s", laterArrives: true)
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.accounting.lostWithLink == 0)
        #expect(analysis.accounting.unaccounted == 2)
    }

    @Test(
        "a clean goodbye, or a connection closed for a bad frame, does not explain a missing message",
        arguments: ["peer_stopped", "bad frame: the magic is wrong"])
    func cleanStopExplainsNothing(reason: String) throws {
        let analysis = try Self.cutRun(reason: reason)
        expectChecks(analysis.checks, failing: ["messages_accounted"])
        #expect(analysis.accounting.unaccounted == 2)
        #expect(!SummaryTable.render(analysis).contains("lost with a broken link"))
    }
}
