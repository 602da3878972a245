import Testing

@testable import Analysis
@testable import EventLog

/// `LinkAccounting` keeps links in three layouts (a dense square for small ids, a list per sender
/// beyond it that becomes a dictionary when long, a dictionary for the rest); whichever holds a
/// link, its counts come back the same.
@Suite struct LinkAccountingLayoutTests {
    @Test("links between small ids, beyond the square, of a sender with many recipients and with odd ids all count")
    func everyLayoutCounts() {
        var accounting = LinkAccounting()
        var expected: [String: Int] = [:]
        func send(_ from: Int, _ to: Int) {
            accounting.count(from: from, to: to) { $0.sent += 1 }
            expected["\(from)>\(to)", default: 0] += 1
        }
        send(1, 2)
        send(2, 1)
        send(600, 3)
        send(3, 600)
        send(9_999, 10_000)
        send(9_999, 10_000)
        // One sender past the list's length: its links move to a dictionary and keep counting.
        for recipient in 1_000..<1_040 { send(700, recipient) }
        for recipient in 1_000..<1_040 { send(700, recipient) }
        send(-1, 5)
        send(1 << 21, 4)
        let links = accounting.links
        #expect(Dictionary(uniqueKeysWithValues: links.map { ("\($0.from)>\($0.to)", $0.messages.sent) }) == expected)
        #expect(
            links.map { [$0.from, $0.to] }
                == links.map { [$0.from, $0.to] }.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(accounting.total.sent == expected.values.reduce(0, +))
    }

    @Test("logs read at once get buffers of 64 MiB in all, between 8 KiB and 1 MiB each")
    func readBuffers() throws {
        #expect(OpenLogFilesLimit.chunkSize(forLogs: 3) == 1 << 20)
        #expect(OpenLogFilesLimit.chunkSize(forLogs: 1_000) == (64 << 20) / 1_000)
        #expect(OpenLogFilesLimit.chunkSize(forLogs: 10_000) == 8 << 10)
        try OpenLogFilesLimit.ensureRoom(forLogs: 10)
        #expect {
            try OpenLogFilesLimit.ensureRoom(forLogs: Int(Int32.max))
        } throws: { error in
            (error as? LogParseError)?.message.contains("open files") == true
        }
    }
}
