import Foundation
import Testing

@testable import Analysis
@testable import EventLog
@testable import Orchestration

/// `vmserver analyze` on the logs of a real 3-VM run: report files, the ShiViz export, exit codes.
@Suite(.serialized)
struct AnalyzeCommandTests {
    @Test("analyze a real run: exit 0 and the report files; --shiviz writes one event per tick event")
    func realRun() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let run = workspace.path("run")
        let layout = try ClusterLayout(totalVMs: 3, logDirectory: run)
        let rates = ["40", "80", "120"]
        let vms = try layout.ids.map { try workspace.startVM($0, of: layout, tickRate: rates[$0 - 1]) }
        let started = await waitUntilStarted(logs: layout.logPaths, processes: vms)
        try #require(started, "not every VM logged a start line\n\(describe(vms))")
        // Let them tick a while (run length, not an assertion), then stop them cleanly.
        try await Task.sleep(for: .seconds(3))
        let exits = await stopAll(vms)
        try #require(exits == [.code(0), .code(0), .code(0)], "\(describe(vms))")

        let analyze = try await workspace.run("analyze", ["analyze", run])
        #expect(analyze.exit == .code(0), "\(analyze.standardOutput)\n\(analyze.standardError)")
        #expect(analyze.standardOutput.contains("checks:"))
        #expect(!analyze.standardOutput.contains("FAIL"), "\(analyze.standardOutput)")
        for file in analysisFiles {
            #expect(FileManager.default.fileExists(atPath: "\(run)/\(file)"), "\(file) not written")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(run)/shiviz.log"), "shiviz.log only with --shiviz")
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: "\(run)/summary.json")))
        #expect((summary as? [String: Any])?["passed"] as? Bool == true)

        let shiviz = try await workspace.run("analyze-shiviz", ["analyze", "--shiviz", run])
        #expect(shiviz.exit == .code(0), "\(shiviz.standardOutput)\n\(shiviz.standardError)")
        let lines = try String(contentsOfFile: "\(run)/shiviz.log", encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count >= 3)
        #expect(lines[0] == ShiVizWriter.parserRegex)
        #expect(lines[1] == "")
        #expect(lines.last == "", "the file ends with a newline")
        let body = lines.dropFirst(2).dropLast()
        #expect(body.count % 2 == 0)
        let tickEvents = layout.logPaths.flatMap(EventLogs.records).filter { $0.kind?.isTickEvent == true }.count
        #expect(tickEvents > 300)
        #expect(body.count / 2 == tickEvents)
        #expect(
            body.enumerated().filter { $0.offset % 2 == 1 }.allSatisfy {
                $0.element.hasPrefix("vm") && $0.element.hasSuffix("}")
            })

        // A broken copy: one receive's msg_clock no longer matches its send.
        let broken = try workspace.copyLogs(from: run, to: "broken")
        var vm1 = try String(contentsOfFile: "\(broken)/vm1.jsonl", encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(vm1.firstIndex { $0.contains(#""type":"receive""#) }, "VM 1 received nothing")
        let record = try LogLineParser().parse(vm1[index])
        vm1[index] = vm1[index].replacingOccurrences(
            of: "\"msg_clock\":\(record.msgClock!)", with: "\"msg_clock\":\(record.msgClock! + 1)")
        try vm1.joined(separator: "\n").write(toFile: "\(broken)/vm1.jsonl", atomically: true, encoding: .utf8)
        let analyzeBroken = try await workspace.run("analyze-broken", ["analyze", broken])
        #expect(analyzeBroken.exit == .code(1), "\(analyzeBroken.standardOutput)\n\(analyzeBroken.standardError)")
        let failed = analyzeBroken.standardOutput.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failed.contains { $0.contains("receive_matches_send") }, "\(analyzeBroken.standardOutput)")
        #expect(
            FileManager.default.fileExists(atPath: "\(broken)/report.html"),
            "the report is written for a failing run too")

        // A copy whose VM 2 log ends in the middle of its last line (killed mid-write, or a full disk):
        // analysed up to it, with a note naming the VM and the offset.
        let cut = try workspace.copyLogs(from: run, to: "cut")
        let vm2 = try Data(contentsOf: URL(fileURLWithPath: "\(cut)/vm2.jsonl"))
        let lastLineStart = try #require(vm2.dropLast().lastIndex(of: UInt8(ascii: "\n"))) + 1
        let kept = lastLineStart + 20
        try vm2.prefix(kept).write(to: URL(fileURLWithPath: "\(cut)/vm2.jsonl"))
        let analyzeCut = try await workspace.run("analyze-cut", ["analyze", cut])
        #expect(analyzeCut.exit == .code(0), "\(analyzeCut.standardOutput)\n\(analyzeCut.standardError)")
        #expect(analyzeCut.standardError.isEmpty, "\(analyzeCut.standardError)")
        #expect(
            analyzeCut.standardOutput.contains(
                "note: VM 2's log ends in a line cut short at byte \(lastLineStart) (20 bytes without a line break"),
            "\(analyzeCut.standardOutput)")
        #expect(analyzeCut.standardOutput.contains("crashed VMs: 2"), "\(analyzeCut.standardOutput)")
        let cutSummary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(cut)/summary.json")))
                as? [String: Any])
        let notes = try #require(cutSummary["cut_short_lines"] as? [[String: Int]])
        #expect(notes == [["vm": 2, "offset": lastLineStart, "bytes": 20]])
        #expect(cutSummary["passed"] as? Bool == true)
    }

    @Test("analyze an empty folder: exit 2 with one line")
    func emptyFolder() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let empty = workspace.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let analyze = try await workspace.run("analyze", ["analyze", empty])
        #expect(analyze.exit == .code(2))
        #expect(analyze.standardErrorLines.count == 1, "\(analyze.standardError)")
        #expect(analyze.standardErrorLines.first?.hasPrefix("vmserver:") == true, "\(analyze.standardError)")
    }
}
