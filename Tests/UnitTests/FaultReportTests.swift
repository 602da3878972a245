import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// The report of a simulated run with faults of every kind: the Faults section, the messages by
/// link (adding up to the run's accounting), the fault columns, summary.json's `links` and
/// `faults`, and the shaded plots; a run without faults shows none of it.
@Suite struct FaultReportTests {
    static let everyKind = SimulatedFaultsTests.configuration([
        SimulatedFaultsTests.fault(.partition, at: 20, peers: [2], for: 30),
        SimulatedFaultsTests.fault(.loss(probability: 0.5), vm: 2, at: 40, for: 30),
        SimulatedFaultsTests.fault(.duplicate(probability: 0.5), vm: 3, at: 10, for: 60),
        SimulatedFaultsTests.fault(
            .delay(milliseconds: 400, jitterMilliseconds: 300, distribution: .exponential), vm: 3, at: 70, for: 30),
        SimulatedFaultsTests.fault(.clockSkew(milliseconds: 1500), at: 80, for: 20),
        SimulatedFaultsTests.fault(.partition, vm: 2, at: 100, peers: [3]),
    ])

    static func written(_ configuration: SimulatedCluster.Configuration) throws -> (TemporaryFolder, RunAnalysis) {
        let folder = try TemporaryFolder()
        try SimulatedRun.write(configuration, duration: 120, to: folder.path)
        let analysis = try RunAnalyzer.analyze(directory: folder.path)
        try AnalysisReport.write(analysis, to: folder.path)
        return (folder, analysis)
    }

    static func json(_ folder: TemporaryFolder) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("every fault kind: the report lists the faults, the links add up to the run, the plots are shaded")
    func everyKind() throws {
        let (folder, analysis) = try Self.written(Self.everyKind)
        expectChecks(analysis.checks, failing: [])
        #expect(analysis.faults.map(\.kind) == ["duplicate", "partition", "loss", "delay", "clock_skew", "partition"])
        #expect(analysis.faults.last?.ending == .healed(reason: "stopped"))

        let total = analysis.links.reduce(into: MessageAccounting()) { $0.add($1.messages) }
        #expect(total == analysis.accounting)
        #expect(analysis.links.allSatisfy { $0.messages.closes })
        #expect(analysis.links.count >= 5)  // VM 1, the slowest, may never get to send to VM 2
        #expect(total.lostToFault > 0 && total.duplicated > 0)
        #expect(analysis.links.filter { $0.messages.lostToFault > 0 }.allSatisfy { $0.from == 2 })
        #expect(analysis.links.filter { $0.messages.duplicated > 0 }.allSatisfy { $0.from == 3 })

        let markdown = try String(contentsOfFile: folder.file("report.md"), encoding: .utf8)
        #expect(markdown.contains("\n## Faults\n"))
        #expect(markdown.contains("6 faults were active during the run: VM3 duplicate 50% from 10.0 s to 70.0 s, "))
        #expect(markdown.contains(", VM1 partition →2 from 20.0 s to 50.0 s, "))
        #expect(
            markdown.contains(
                "| 3 | 2 | delay | 400 ms, jitter 300 ms, exponential, for 30 s | messages to every peer | 70.0 | 100.0 "
                    + "| expired (its duration passed) |"))
        #expect(markdown.contains("| 1 | 2 | clock_skew | +1500 ms, for 20 s | its time stamps | 81.5 | 100.0 |"))
        #expect(markdown.contains("| 2 | 2 | partition | - | messages to VM 3 | 100.0 | 120.0 | the VM stopped |"))
        #expect(markdown.contains("\n## Messages by link\n"))
        let counts = analysis.accounting
        #expect(
            markdown.contains("| all links | \(counts.sent) | \(counts.sent - counts.dropped) | \(counts.received) |"))
        #expect(markdown.contains("| 2 → 1 |"))
        #expect(markdown.contains("lost to a fault | duplicate copies |"))
        let html = try String(contentsOfFile: folder.file("report.html"), encoding: .utf8)
        #expect(html.contains("<h2>Faults</h2>") && html.contains("<td>all links</td>"))

        for plot in ["clock.svg", "queue.svg", "drift.svg"] {
            let svg = try String(contentsOfFile: folder.file(plot), encoding: .utf8)
            #expect(svg.contains("class=\"shaded-intervals\""), "\(plot)")
            #expect(svg.components(separatedBy: "class=\"band\"").count - 1 == 6, "\(plot)")
            #expect(svg.contains(">VM2 loss 50%</text>"), "\(plot)")
        }
        #expect(markdown.contains("A clock_skew fault shifts its VM's time stamps"))

        let summary = try Self.json(folder)
        let links = try #require(summary["links"] as? [[String: Any]])
        #expect(links.map { "\($0["from"] ?? "")→\($0["to"] ?? "")" } == analysis.links.map { "\($0.from)→\($0.to)" })
        let keys = SummaryFieldNames.messageKeys
        let messages = try #require(summary["messages"] as? [String: Any])
        #expect(Set(messages.keys) == keys && links.allSatisfy { Set($0.keys) == keys.union(["from", "to"]) })
        for key in keys {
            #expect(links.reduce(0) { $0 + ($1[key] as? Int ?? -1_000_000) } == messages[key] as? Int, "\(key)")
        }
        let faults = try #require(summary["faults"] as? [[String: Any]])
        #expect(faults.count == 6 && faults.first?["kind"] as? String == "duplicate")
        #expect(faults.first?["ended"] as? String == "expired")
    }

    @Test(
        "a run without faults: no Faults section, no links table, no shading, the plain columns; links in summary.json")
    func withoutFaults() throws {
        let (folder, analysis) = try Self.written(SimulatedFaultsTests.configuration([]))
        #expect(analysis.faults.isEmpty)
        let markdown = try String(contentsOfFile: folder.file("report.md"), encoding: .utf8)
        #expect(
            !markdown.contains("Faults") && !markdown.contains("by link") && !markdown.contains("| duplicate copies |"))
        for plot in ["clock.svg", "queue.svg", "drift.svg", "spacetime.svg"] {
            let svg = try String(contentsOfFile: folder.file(plot), encoding: .utf8)
            #expect(!svg.contains("shaded") && !svg.contains("undelivered"), "\(plot)")
        }
        #expect(!SummaryTable.render(analysis.summaries).contains("duplicates"))
        let links = try #require(try Self.json(folder)["links"] as? [[String: Any]])
        #expect(links.count == analysis.links.count && links.count >= 5)
        #expect(links.reduce(0) { $0 + ($1["copies_addressed"] as? Int ?? 0) } == analysis.accounting.sent)
    }
}
