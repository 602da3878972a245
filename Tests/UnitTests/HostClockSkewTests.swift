import Foundation
import Testing

@testable import Analysis
@testable import EventLog
@testable import LamportCore
@testable import Orchestration

/// Logs from hosts whose clocks disagree by seconds: the same run, with one VM's time stamps
/// shifted, must analyse to the same causal results, and the report says how much it corrected.
@Suite struct HostClockSkewTests {
    /// A 3-VM simulated run written to a fresh folder.
    static func simulatedRun() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        let configuration = SimulatedCluster.Configuration(tickRates: [5, 7, 9], seed: 11, latencyMicroseconds: 1000)
        try SimulatedRun.write(configuration, duration: 30, to: folder.path)
        return folder
    }

    /// Copies the run to a new folder with every time stamp of `vm` moved by `seconds`, as if its
    /// host's clock were that far off.
    static func copy(_ run: TemporaryFolder, shifting vm: Int, by seconds: Double) throws -> TemporaryFolder {
        let copy = try TemporaryFolder()
        var formatter = RFC3339Formatter()
        for id in 1...3 {
            let text = try String(contentsOfFile: run.file("vm\(id).jsonl"), encoding: .utf8)
            var lines: [String] = []
            for line in text.split(separator: "\n") {
                guard id == vm, let start = line.range(of: #""time":""#),
                    let end = line[start.upperBound...].firstIndex(of: "\"")
                else {
                    lines.append(String(line))
                    continue
                }
                let stamp = String(line[start.upperBound..<end])
                let micros = try #require(Array(stamp.utf8).withUnsafeBytes { RFC3339Parser.microseconds($0) })
                let shifted = formatter.string(WallTime(microseconds: micros + Int64(seconds * 1_000_000)))
                lines.append(String(line[..<start.upperBound]) + shifted + String(line[end...]))
            }
            try (lines.joined(separator: "\n") + "\n").write(
                toFile: copy.file("vm\(id).jsonl"), atomically: true, encoding: .utf8)
        }
        return copy
    }

    /// The analysis and the ShiViz export's events (each event's line and vector clock), sorted:
    /// the order of concurrent events in the file may differ, their vectors may not.
    static func analyse(_ folder: TemporaryFolder) throws -> (RunAnalysis, [String]) {
        let shivizPath = folder.file("run.shiviz")
        let writer = try ShiVizWriter(path: shivizPath)
        let analysis = try RunAnalyzer.analyze(directory: folder.path, shiviz: writer)
        var events: [String] = []
        var event: Substring?
        for line in try String(contentsOfFile: shivizPath, encoding: .utf8).split(separator: "\n") {
            if line.contains(" {\""), let described = event {
                events.append("\(described) \(line)")
                event = nil
            } else {
                event = line
            }
        }
        return (analysis, events.sorted())
    }

    @Test("one VM's host clock 5 s behind, then 4 s ahead: same vector clocks, pairs, ShiViz events and checks")
    func skewedHostClocks() throws {
        let run = try Self.simulatedRun()
        let (plain, plainEvents) = try Self.analyse(run)
        #expect(plain.stampSkew.receivesBeforeSend == 0)
        for seconds in [-5.0, 4.0] {
            let skewed = try Self.copy(run, shifting: 2, by: seconds)
            let (analysis, events) = try Self.analyse(skewed)
            expectChecks(analysis.checks, failing: [])
            #expect(analysis.concurrency == plain.concurrency)
            #expect(analysis.accounting == plain.accounting)
            #expect(events.count == plainEvents.count)
            #expect(zip(events, plainEvents).first { $0 != $1 } == nil, "a ShiViz event's vector clock changed")
            // Receives stamped before their sends: by VM 2 when its clock is behind, by the
            // others (of VM 2's sends) when it is ahead; each by the shift less the time from the
            // send to the receiver's next tick (at most the latency and 1/5 s).
            let skew = analysis.stampSkew
            let shift = Int64(abs(seconds) * 1_000_000)
            #expect(skew.receivesBeforeSend > 0)
            #expect((shift - 201_000)...shift ~= skew.largestMicroseconds)
            #expect(seconds < 0 ? skew.largestTo == 2 : skew.largestFrom == 2)
            #expect(SummaryTable.render(analysis).contains("Clock skew corrected: "))
        }
    }

    @Test("a receive whose send is missing from its sender's log fails receive_matches_send; nothing is dropped")
    func receiveWithoutItsSend() throws {
        let run = try Self.simulatedRun()
        let text = try String(contentsOfFile: run.file("vm1.jsonl"), encoding: .utf8)
        // VM 1's log loses its first send line (and with it the seq it had: seq_without_gaps fails too).
        var lines = text.split(separator: "\n").map(String.init)
        let send = try #require(lines.firstIndex { $0.contains(#""type":"send""#) })
        let sendSeq = try Array(lines[send].utf8).withUnsafeBytes { try LogLineParser().parse($0) }.seq
        lines.remove(at: send)
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: run.file("vm1.jsonl"), atomically: true, encoding: .utf8)
        var walked = 0
        try LogMerger.forEachRecord(inFiles: (1...3).map { run.file("vm\($0).jsonl") }) { _ in walked += 1 }
        let total = try (1...3).map {
            try String(contentsOfFile: run.file("vm\($0).jsonl"), encoding: .utf8).split(separator: "\n").count
        }.reduce(0, +)
        #expect(walked == total, "every line is walked, the orphaned receive too")
        let analysis = try RunAnalyzer.analyze(directory: run.path)
        let match = try #require(analysis.checks.first { $0.name == "receive_matches_send" })
        #expect(!match.passed)
        #expect(match.examples.contains { $0.contains("of VM 1 send \(sendSeq), but VM 1 logged no such send") })
    }
}
