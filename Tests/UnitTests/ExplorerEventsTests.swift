import EventLog
import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// The events the report's explorer embeds: every tick event of every VM, in log order per lane,
/// each receive linked to its own send.
@Suite struct ExplorerEventsTests {
    private static func run() throws -> (folder: TemporaryFolder, files: [(vm: Int, path: String)]) {
        let folder = try TemporaryFolder()
        try SimulatedRun.write(
            SimulatedCluster.Configuration(tickRates: [2, 5, 9, 3], topology: .ring, seed: 5), duration: 120,
            to: folder.path)
        return (folder, (1...4).map { (vm: $0, path: LogFileName.path(vmID: $0, in: folder.path)) })
    }

    @Test func everyTickEventOnItsLaneAndEveryReceiveLinkedToItsSend() throws {
        let (folder, files) = try Self.run()
        _ = folder
        guard case .events(let events) = try ExplorerEvents.read(files: files, limit: 1_000_000) else {
            Issue.record("expected the events")
            return
        }
        #expect(events.vms == [1, 2, 3, 4])
        var linked = 0
        for (lane, file) in files.enumerated() {
            let reader = try LogFileReader(path: file.path)
            var records: [LogRecord] = []
            while let record = try reader.next() {
                if record.kind?.isTickEvent == true { records.append(record) }
            }
            let range = Int(events.laneStart[lane])..<Int(events.laneStart[lane + 1])
            #expect(range.count == records.count, "VM \(file.vm)")
            for (index, record) in zip(range, records) {
                #expect(Int(events.seq[index]) == record.seq && Int(events.clock[index]) == record.clock)
                guard record.kind == .receive, let message = record.message else {
                    #expect(events.link[index] == -1)
                    continue
                }
                let send = Int(events.link[index])
                #expect(send >= 0, "receive seq \(record.seq) of VM \(file.vm) is linked")
                guard send >= 0 else { continue }
                let sender = events.laneStart.lastIndex { Int($0) <= send }!
                #expect(events.vms[sender] == message.from && Int(events.seq[send]) == message.sendSeq)
                #expect(events.kind[send] == ExplorerEvents.Kind.send.rawValue)
                linked += 1
            }
        }
        #expect(linked > 100)
        #expect(events.time.min() == 0 || events.time.min()! >= 0)
    }

    @Test func aRunAboveTheLimitIsCountedNotLoaded() throws {
        let (folder, files) = try Self.run()
        _ = folder
        guard case .events(let all) = try ExplorerEvents.read(files: files, limit: 1_000_000) else {
            Issue.record("expected the events")
            return
        }
        #expect(try ExplorerEvents.read(files: files, limit: 100) == .tooMany(events: all.count, limit: 100))
    }

    @Test func theReportEmbedsTheExplorerAndKeepsTheStaticFigure() throws {
        let (folder, _) = try Self.run()
        let analysis = try RunAnalyzer.analyze(directory: folder.path)
        try AnalysisReport.write(analysis, to: folder.path)
        let html = try String(contentsOfFile: folder.file("report.html"), encoding: .utf8)
        #expect(html.contains("<section id=\"explorer\" hidden"))
        #expect(html.contains("id=\"explorer-link\""))
        #expect(
            html.contains("Space-time diagram of the first") && html.contains("<svg"),
            "the static picture stays for readers without JavaScript")
        #expect(html.contains(#""labels":["VM 1 · 2\/s","VM 2 · 5\/s""#), "each VM's rate in the legend")
    }
}
