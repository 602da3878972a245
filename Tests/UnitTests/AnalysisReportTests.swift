import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `AnalysisReport.write` on a simulated run: summary.json, report.md, report.html and the SVG plots.
@Suite struct AnalysisReportTests {
    static let plots = ["clock.svg", "queue.svg", "jumps.svg", "drift.svg", "spacetime.svg"]

    /// A simulated 3-VM run, analyzed, with its report written into its folder.
    static func report() throws -> (folder: TemporaryFolder, analysis: RunAnalysis, files: [String]) {
        let folder = try TemporaryFolder()
        try SimulatedRun.write(
            SimulatedCluster.Configuration(tickRates: [2, 5, 9], seed: 3), duration: 300, to: folder.path)
        let analysis = try RunAnalyzer.analyze(directory: folder.path)
        let files = try AnalysisReport.write(analysis, to: folder.path)
        return (folder, analysis, files)
    }

    @Test("it writes the plots, summary.json, report.md and report.html and names them")
    func filesWritten() throws {
        let (folder, _, files) = try Self.report()
        #expect(Set(files) == Set(Self.plots + ["summary.json", "report.md", "report.html"]))
        for file in files {
            let size = try FileManager.default.attributesOfItem(atPath: folder.file(file))[.size] as? Int
            #expect((size ?? 0) > 0, "\(file) is empty")
        }
    }

    @Test("summary.json is valid JSON with the documented keys and numbers that match the analysis")
    func summaryJSON() throws {
        let (folder, analysis, _) = try Self.report()
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json")))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["run", "passed", "vms", "checks", "messages", "phases", "drift", "concurrency", "plots"] {
            #expect(document[key] != nil, "summary.json lacks \(key)")
        }
        #expect(document["passed"] as? Bool == true)
        let vms = try #require(document["vms"] as? [[String: Any]])
        #expect(vms.count == 3)
        for (index, vm) in vms.enumerated() {
            let summary = analysis.summaries[index]
            #expect(vm["vm"] as? Int == index + 1)
            let jumps = try #require(vm["jumps"] as? [String: Any], "vms[\(index)].jumps")
            #expect(Set(jumps.keys) == ["count", "mean", "max", "p50", "p90", "p99"])
            #expect(jumps["count"] as? Int == summary.jumps.jumps)
            #expect(jumps["max"] as? Int == summary.jumps.largest)
            #expect(jumps["p50"] as? Int == summary.jumps.percentile(0.5))
            #expect(jumps["p90"] as? Int == summary.jumps.percentile(0.9))
            #expect(jumps["p99"] as? Int == summary.jumps.percentile(0.99))
            let events = try #require(vm["events"] as? [String: Int])
            #expect(
                events == [
                    "internal": summary.internalEvents, "send": summary.sendEvents, "receive": summary.receiveEvents,
                ])
            #expect(vm["final_clock"] as? Int == summary.finalClock)
            let queue = try #require(vm["queue"] as? [String: Any])
            #expect(Set(queue.keys) == ["max", "mean"], "the unprocessed count is in incoming, not in queue")
            let outgoing = try #require(vm["outgoing"] as? [String: Int])
            #expect(Set(outgoing.keys) == SummaryFieldNames.outgoingKeys)
            #expect(outgoing["copies_sent"] == summary.messagesSent)
            #expect(outgoing["copies_addressed"] == summary.messagesSent + summary.messagesDropped)
            let incoming = try #require(vm["incoming"] as? [String: Int])
            #expect(Set(incoming.keys) == SummaryFieldNames.incomingKeys)
            #expect(incoming["copies_received"] == summary.receiveEvents)
            #expect(incoming["copies_unprocessed_at_stop"] == summary.unprocessed)
        }
        let checks = try #require(document["checks"] as? [[String: Any]])
        #expect(checks.compactMap { $0["name"] as? String } == allCheckNames)
        #expect(checks.allSatisfy { $0["passed"] as? Bool == true })
        let messages = try #require(document["messages"] as? [String: Int])
        #expect(Set(messages.keys) == SummaryFieldNames.messageKeys)
        #expect(messages["copies_addressed"] == analysis.accounting.sent)
        #expect(messages["copies_sent"] == analysis.accounting.sent - analysis.accounting.dropped)
        #expect(messages["copies_received"] == analysis.accounting.received)
        #expect(messages["copies_unprocessed_at_stop"] == analysis.accounting.unprocessed)
        #expect(messages["copies_unaccounted"] == 0)
        #expect(messages["copies_lost_to_fault"] == 0)
        #expect(messages["duplicate_copies"] == 0)
        let concurrency = try #require(document["concurrency"] as? [String: Int])
        #expect(concurrency["events"] == analysis.concurrency.events)
        #expect(concurrency["causal_pairs"] == analysis.concurrency.causalPairs)
        #expect(concurrency["tied_pairs"] == analysis.concurrency.tiedPairs)
        let drift = try #require(document["drift"] as? [String: Any])
        #expect(drift["largest"] as? Int == analysis.drift.largest)
        #expect((document["phases"] as? [Any])?.count == 3)
        #expect((document["plots"] as? [String]).map(Set.init) == Set(Self.plots))
        let run = try #require(document["run"] as? [String: Any])
        #expect(run["vms"] as? [Int] == [1, 2, 3])
        #expect(run["lines"] as? Int == analysis.lines)
    }

    @Test("docs/summary.md documents every message key, and every key of a VM, that summary.json writes")
    func summaryKeysDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("docs/summary.md"), encoding: .utf8)
        let (folder, _, _) = try Self.report()
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file("summary.json")))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let vm = try #require((document["vms"] as? [[String: Any]])?.first)
        let keys = SummaryFieldNames.messageKeys.union(document.keys).union(vm.keys)
        for key in keys {
            #expect(doc.contains("`\(key)`") || doc.contains("`\(key)[]`"), "docs/summary.md does not name \(key)")
        }
    }

    @Test("report.md has the Checks table and links every plot")
    func markdown() throws {
        let (folder, _, _) = try Self.report()
        let text = try String(contentsOfFile: folder.file("report.md"), encoding: .utf8)
        #expect(text.hasPrefix("# "))
        #expect(text.contains("\n## Checks\n"))
        #expect(text.contains("| check | result | checked | failed | what it asserts |"))
        #expect(text.contains(" lost to a fault, "))
        #expect(text.contains(" duplicate copies (extra copies made by a fault, in none of the other counts)."))
        for name in allCheckNames {
            #expect(text.contains("| \(name) | ok |"), "\(name) row missing")
        }
        for plot in Self.plots {
            #expect(text.contains("](\(plot))"), "no link to \(plot)")
        }
    }

    @Test("report.html is self-contained: inline SVG, nothing loaded over http(s)")
    func html() throws {
        let (folder, _, _) = try Self.report()
        let text = try String(contentsOfFile: folder.file("report.html"), encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>"))
        #expect(text.contains("<svg"))
        #expect(text.components(separatedBy: "<svg").count - 1 == Self.plots.count)
        let remote = try NSRegularExpression(
            pattern: #"(src|href)\s*=\s*["']?\s*(https?:)?//"#, options: .caseInsensitive)
        let found = remote.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(found.isEmpty, "remote references: \(found.map { (text as NSString).substring(with: $0.range) })")
        #expect(!text.contains("<link"), "no external stylesheets")
        #expect(!text.contains("<script src"), "no external scripts")
    }

    @Test("every SVG plot is well-formed XML with an svg root", arguments: plots)
    func svgWellFormed(_ plot: String) throws {
        let (folder, _, _) = try Self.report()
        let data = try Data(contentsOf: URL(fileURLWithPath: folder.file(plot)))
        let parser = XMLParser(data: data)
        let delegate = RootRecorder()
        parser.delegate = delegate
        #expect(parser.parse(), "\(plot): \(parser.parserError.map { "\($0)" } ?? "?")")
        #expect(delegate.root == "svg")
        #expect(delegate.elements > 5, "\(plot) draws something")
    }

    final class RootRecorder: NSObject, XMLParserDelegate {
        var root: String?
        var elements = 0

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if root == nil { root = elementName }
            elements += 1
        }
    }
}
