import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// The report of a simulated run of 60 VMs (above the grouping threshold): grouped tables, bands
/// instead of lines, a visible jump histogram and a focused space-time diagram.
@Suite struct ManyVMReportTests {
    static let vmCount = 60

    static func report() throws -> (folder: TemporaryFolder, analysis: RunAnalysis) {
        let folder = try TemporaryFolder()
        let rates = (0..<vmCount).map { Double($0 % 6 + 1) }
        try SimulatedRun.write(
            SimulatedCluster.Configuration(tickRates: rates, topology: .random(neighbours: 4), seed: 5), duration: 20,
            to: folder.path)
        let analysis = try RunAnalyzer.analyze(directory: folder.path)
        try AnalysisReport.write(analysis, to: folder.path)
        return (folder, analysis)
    }

    @Test("tables have one row per tick-rate group, with p50 / p90 / max and the VM at the max, no row per VM")
    func groupedTables() throws {
        let (folder, analysis) = try Self.report()
        let markdown = try String(contentsOfFile: folder.file("report.md"), encoding: .utf8)
        #expect(!markdown.contains("## Per VM"))
        #expect(markdown.contains("## Per tick-rate group"))
        let groupRows = markdown.split(separator: "\n").filter { $0.hasPrefix("| 1/s | 10 |") }
        #expect(groupRows.count == 4, "one row for the 1/s group in each of the four tables")
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| rate") }
        #expect(rows.allSatisfy { !$0.hasPrefix("| 17 |") && !$0.hasPrefix("| 60 |") }, "no row per VM")
        let topClock = try #require(analysis.summaries.max { ($0.finalClock, -$0.vm) < ($1.finalClock, -$1.vm) })
        let group = try #require(VMGroups(analysis.summaries).groups.first { $0.members.contains(topClock.vm - 1) })
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| \(group.label) |") })
        #expect(row.contains("/ \(topClock.finalClock) (VM \(topClock.vm)) |"), "\(row)")

        let terminal = SummaryTable.render(analysis.summaries)
        #expect(terminal.split(separator: "\n").count == 3 + 6)
        #expect(terminal.split(separator: "\n").allSatisfy { $0.count <= 100 })
    }

    @Test(
        "clock and queue plots draw percentile bands, the jump histogram has visible bars, and the space-time diagram shows at most 8 named lanes"
    )
    func plots() throws {
        let (folder, analysis) = try Self.report()
        let clock = try String(contentsOfFile: folder.file("clock.svg"), encoding: .utf8)
        #expect(clock.components(separatedBy: "<polygon").count - 1 == 6, "one band per rate group")
        #expect(clock.components(separatedBy: "<polyline").count - 1 == 7, "six medians and the max")
        let queue = try String(contentsOfFile: folder.file("queue.svg"), encoding: .utf8)
        #expect(queue.contains("<polygon") && queue.contains(">p10-p90</text>"))
        let jumps = try String(contentsOfFile: folder.file("jumps.svg"), encoding: .utf8)
        let bars = jumps.components(separatedBy: "<rect").dropFirst().filter { $0.contains("<title>") }
        #expect(!bars.isEmpty)
        let widths = bars.compactMap { Double($0.split(separator: "width=\"")[1].prefix { $0 != "\"" }) }
        #expect(widths.count == bars.count && widths.allSatisfy { $0 >= 5 }, "\(widths.prefix(5))")

        let lanes = try #require(analysis.window.lanes)
        #expect(lanes.count > 1 && lanes.count <= SpaceTimeWindow.laneLimit)
        #expect(analysis.window.events.allSatisfy { lanes.contains($0.vm) })
        #expect(analysis.window.events.count == analysis.window.limit)
        let html = try String(contentsOfFile: folder.file("report.html"), encoding: .utf8)
        #expect(html.contains("Space-time diagram of \(lanes.count) of the 60 VMs: VM \(lanes[0])"))
    }

    @Test("summary.json keeps one entry per VM, with the documented message keys")
    func summaryKeepsEveryVM() throws {
        let (folder, _) = try Self.report()
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json")))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let vms = try #require(document["vms"] as? [[String: Any]])
        #expect(vms.count == Self.vmCount)
        #expect(
            vms.allSatisfy {
                Set(($0["outgoing"] as? [String: Int])?.keys ?? [:].keys) == SummaryFieldNames.outgoingKeys
            })
    }
}
