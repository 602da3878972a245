import Foundation
import Testing

@testable import Analysis
@testable import EventLog

/// `LogMerger.forEachRecord` reads on a thread of its own and hands records over in batches: the
/// caller sees exactly what the walk on one thread gives, across many batches, also when a line
/// is broken (the lines before it, then the error) or when the caller stops with an error.
@Suite struct LogMergerThreadTests {
    /// Three logs of `count` internal events each, interleaved in time, with receives that wait
    /// for their sends; returns their paths.
    static func logs(in folder: TemporaryFolder, count: Int, brokenAt broken: Int? = nil) throws -> [String] {
        try (1...3).map { vm in
            var lines: [String] = []
            for seq in 1...count {
                let time = String(
                    format: "2026-01-01T00:%02d:%02d.%06dZ", seq / 6000, seq / 100 % 60, seq % 100 * 10 + vm)
                if vm == 2, seq % 7 == 0, seq > 2 {
                    // A receive of VM 1's line seq - 1, stamped before it: it must wait.
                    lines.append(
                        #"{"seq":\#(seq),"vm":2,"type":"receive","clock":\#(seq),"time":"2026-01-01T00:00:00.000000Z","queue":0,"from":1,"send_seq":\#(seq - 1),"msg_clock":\#(seq - 1)}"#
                    )
                } else if vm == 3, seq == broken {
                    lines.append(#"{"seq":\#(seq),"vm":3,"type":"#)
                } else {
                    lines.append(
                        #"{"seq":\#(seq),"vm":\#(vm),"type":"internal","clock":\#(seq),"time":"\#(time)","queue":0}"#)
                }
            }
            let path = folder.file("vm\(vm).jsonl")
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    static func serialWalk(_ paths: [String]) -> (records: [String], error: LogParseError?) {
        var records: [String] = []
        do {
            _ = try LogMerger.walk(inFiles: paths) { record in
                records.append("\(record.vm):\(record.seq)")
                return true
            }
            return (records, nil)
        } catch {
            return (records, error)
        }
    }

    @Test("many batches of records come in the order of the walk on one thread")
    func sameOrderAsOneThread() throws {
        let folder = try TemporaryFolder()
        let paths = try Self.logs(in: folder, count: 3 * LogMerger.batchSize + 17)
        var walked: [String] = []
        let cutShort = try LogMerger.forEachRecord(inFiles: paths) { record in
            walked.append("\(record.vm):\(record.seq)")
        }
        let serial = Self.serialWalk(paths)
        #expect(serial.error == nil)
        #expect(walked.count == 3 * (3 * LogMerger.batchSize + 17))
        #expect(walked == serial.records)
        #expect(cutShort.allSatisfy { $0 == nil })
    }

    @Test("a broken line: every record before it, then its error naming file and line")
    func brokenLineAfterManyBatches() throws {
        let folder = try TemporaryFolder()
        let paths = try Self.logs(in: folder, count: 2 * LogMerger.batchSize, brokenAt: LogMerger.batchSize + 5)
        var walked: [String] = []
        var thrown: LogParseError?
        do {
            try LogMerger.forEachRecord(inFiles: paths) { record in walked.append("\(record.vm):\(record.seq)") }
        } catch {
            thrown = error
        }
        let serial = Self.serialWalk(paths)
        #expect(thrown != nil)
        #expect(thrown == serial.error)
        #expect(thrown?.message.hasPrefix("\(paths[2]):\(LogMerger.batchSize + 5): ") == true)
        #expect(walked == serial.records)
        #expect(walked.count > LogMerger.batchSize)
    }

    @Test("an error of the caller stops the reading thread and comes back as it was thrown")
    func callerErrorStopsTheReader() throws {
        let folder = try TemporaryFolder()
        let paths = try Self.logs(in: folder, count: 4 * LogMerger.batchSize * LogMerger.batchesAhead / 3)
        var seen = 0
        var thrown: LogParseError?
        do {
            try LogMerger.forEachRecord(inFiles: paths) { _ throws(LogParseError) in
                seen += 1
                if seen == 1000 { throw LogParseError(message: "stop here") }
            }
        } catch {
            thrown = error
        }
        #expect(thrown == LogParseError(message: "stop here"))
        #expect(seen == 1000)
    }
}
