import Foundation
import Testing

@testable import EventLog
@testable import LamportCore

/// `GET /log` pages come from `RecentLog`: recent lines from a bounded ring in memory, older
/// ones from the file. Whatever the flush pattern, a page must be exactly the file's lines.
@Suite struct RecentLogTests {
    /// A log of `count` lines of varying length (every 500th a send to 1,200 recipients, longer than
    /// a small ring's whole budget), flushed at irregular points.
    static func writeLog(
        in folder: TemporaryFolder, count: Int, budget: Int, capacity: Int, seed: UInt64, resumeFrom: Int = 0
    ) throws -> EventLogFile {
        let log = try EventLogFile(
            directory: folder.path, vmID: 1, flushThreshold: 64 * 1024, recentCapacity: capacity,
            recentByteBudget: budget)
        var random = SeededRandom(seed: seed, vmID: 1)
        for seq in (resumeFrom + 1)...(resumeFrom + count) {
            let recipients =
                seq % 500 == 0
                ? Array(2...1201) : random.roll(in: 1...20) == 1 ? Array(2...random.roll(in: 2...300)) : nil
            log.append(
                VMEvent(
                    seq: seq, vm: 1, kind: recipients == nil ? .internalEvent : .send, clock: seq, queue: 0,
                    to: recipients),
                at: WallTime(microseconds: 1_780_000_000_000_000 + Int64(seq)))
            if random.roll(in: 1...7) == 1 { log.flush() }
        }
        log.flush()
        return log
    }

    /// The complete lines of the file, without newlines.
    static func fileLines(_ path: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return Array(data).split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    @Test(
        "every page equals the file's lines, served from the ring or from the file",
        arguments: [(budget: 4096, capacity: 50), (budget: 300, capacity: 1000), (budget: 1 << 20, capacity: 10_000)])
    func pagesMatchTheFile(budget: Int, capacity: Int) throws {
        let folder = try TemporaryFolder()
        let count = 2000
        let log = try Self.writeLog(in: folder, count: count, budget: budget, capacity: capacity, seed: 7)
        let lines = try Self.fileLines(log.path)
        #expect(lines.count == count)
        let afters = Array(0...20) + Array(stride(from: 21, through: count, by: 53)) + Array((count - 40)...(count + 1))
        for after in afters {
            for limit in [1, 3, 100, 1000] {
                let page = log.recent.lines(after: after, limit: limit).map(Array.init)
                let expected = Array(lines.dropFirst(max(0, after)).prefix(limit))
                #expect(
                    page == expected, "after \(after), limit \(limit): \(page.count) lines, expected \(expected.count)")
            }
        }
        #expect(log.recent.lines(after: 5, limit: 0).isEmpty)
        log.close()
    }

    @Test("the ring holds no more than its byte budget and line capacity, however the log is flushed")
    func memoryIsBounded() throws {
        let folder = try TemporaryFolder()
        let log = try Self.writeLog(in: folder, count: 5000, budget: 8192, capacity: 40, seed: 3)
        let use = log.recent.memoryUse
        #expect(use.lines <= 40)
        #expect(use.lines > 0)
        #expect(use.storedBytes <= 8192)
        #expect(use.storeSize <= 8192)
        log.close()

        // Many small flushes (one per line, like a VM sending on every tick): the default ring keeps
        // copies of the lines only, not the writer's 64 KiB buffers.
        let busy = try TemporaryFolder()
        let small = try EventLogFile(directory: busy.path, vmID: 1)
        for seq in 1...30_000 {
            small.append(VMEvent(seq: seq, vm: 1, kind: .internalEvent, clock: seq, queue: 0))
            small.flush()
        }
        let busyUse = small.recent.memoryUse
        #expect(busyUse.lines == 10_000)
        #expect(busyUse.storeSize <= 1 << 20)
        #expect(small.recent.lines(after: 29_990, limit: 100).count == 10)
        small.close()
    }

    @Test("a restarted VM serves its earlier run's lines from the file and its new ones from memory")
    func restartedLog() throws {
        let folder = try TemporaryFolder()
        let first = try Self.writeLog(in: folder, count: 500, budget: 4096, capacity: 100, seed: 1)
        first.close()
        let second = try Self.writeLog(
            in: folder, count: 700, budget: 4096, capacity: 100, seed: 2, resumeFrom: 500)
        let lines = try Self.fileLines(second.path)
        #expect(lines.count == 1200)
        for after in [0, 1, 250, 499, 500, 501, 999, 1100, 1199, 1200] {
            let page = second.recent.lines(after: after, limit: 1000).map(Array.init)
            #expect(page == Array(lines.dropFirst(after).prefix(1000)), "after \(after)")
        }
        second.close()
    }

    @Test("paging through an earlier run's lines indexes them, so each page starts near its lines")
    func earlierRunIsIndexedAsItIsRead() throws {
        let folder = try TemporaryFolder()
        let first = try Self.writeLog(in: folder, count: 5000, budget: 4096, capacity: 100, seed: 3)
        first.close()
        let lines = try Self.fileLines(first.path)
        let size = try Data(contentsOf: URL(fileURLWithPath: first.path)).count
        // A restarted VM's RecentLog: the file's lines, none of them recorded by this process.
        let recent = RecentLog(path: first.path, fileSize: size, lastSeq: 5000, capacity: 100, indexSpacing: 512)
        #expect(recent.indexedSeqs.isEmpty)
        var after = 0
        while after < 5000 {
            let page = recent.lines(after: after, limit: 300).map(Array.init)
            #expect(page == Array(lines.dropFirst(after).prefix(300)), "after \(after)")
            after += page.count
        }
        #expect(recent.indexedSeqs == Array(stride(from: 1, through: 5000, by: 512)))
        // Read again through the index: the same pages.
        for after in [0, 511, 512, 513, 2000, 4999] {
            #expect(recent.lines(after: after, limit: 300).map(Array.init) == Array(lines.dropFirst(after).prefix(300)))
        }
    }
}
