import Foundation
import Testing

@testable import Analysis

/// The ShiViz export of the hand-made run, checked line by line against vector clocks worked out by hand.
@Suite struct ShiVizWriterTests {
    /// Writes the hand-made run, analyzes it with a ShiViz writer and returns the export's lines.
    static func export() throws -> (analysis: RunAnalysis, lines: [String], text: String) {
        let folder = try TemporaryFolder()
        let logs = try folder.folder("run")
        try HandMadeRun.logs.write(to: logs)
        let path = folder.file("shiviz.log")
        let analysis = try RunAnalyzer.analyze(directory: logs, shiviz: try ShiVizWriter(path: path))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        return (analysis, text.components(separatedBy: "\n").dropLast().map { $0 }, text)
    }

    @Test("the header is the parser regex and an empty line, then one pair of lines per tick event")
    func layout() throws {
        let (analysis, lines, _) = try Self.export()
        expectChecks(analysis.checks, failing: [])
        #expect(lines.first == ShiVizWriter.parserRegex)
        #expect(lines[1] == "")
        let body = Array(lines.dropFirst(2))
        #expect(body.count == 2 * HandMadeRun.vectors.count)
        #expect(body.count / 2 == analysis.concurrency.events)
        #expect(!body.contains(""), "no blank lines between events")
    }

    @Test("every event's host and vector clock are the ones worked out by hand")
    func vectorClocks() throws {
        let (_, lines, _) = try Self.export()
        let body = Array(lines.dropFirst(2))
        try #require(body.count == 2 * HandMadeRun.vectors.count)
        let names = ["vm1", "vm2", "vm3"]
        for (index, expected) in HandMadeRun.vectors.enumerated() {
            let description = body[2 * index]
            let clockLine = body[2 * index + 1]
            let entries = zip(names, expected.vector).filter { $0.1 > 0 }.map { "\"\($0.0)\":\($0.1)" }
            #expect(clockLine == "vm\(expected.vm) {" + entries.joined(separator: ",") + "}", "event \(index + 1)")
            #expect(description.hasPrefix("vm\(expected.vm) "), "event \(index + 1): \(description)")
            // The clock line is JSON after the host.
            let json = try #require(clockLine.split(separator: " ", maxSplits: 1).last)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Int])
            #expect(object["vm\(expected.vm)"] == expected.vector[expected.vm - 1])
        }
        // Spot checks of the descriptions: what the event was and which message.
        #expect(body[0].contains("send") && body[0].contains("to vm2"))
        #expect(body[4].contains("send") && body[4].contains("to vm1,vm2"))
        #expect(body[6].contains("receive") && body[6].contains("from vm3"))
        #expect(body[2].contains("internal"))
    }

    @Test("each host's own entry starts at 1 and rises by 1 per event of that host")
    func ownEntriesCount() throws {
        let (_, lines, _) = try Self.export()
        let body = Array(lines.dropFirst(2))
        var own: [String: Int] = [:]
        for index in stride(from: 1, to: body.count, by: 2) {
            let parts = body[index].split(separator: " ", maxSplits: 1)
            let host = String(parts[0])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(parts[1].utf8)) as? [String: Int])
            let value = try #require(object[host], "\(body[index]) lacks its own host")
            #expect(value == (own[host] ?? 0) + 1, "\(body[index])")
            own[host] = value
        }
        #expect(own == ["vm1": 5, "vm2": 4, "vm3": 4])
    }

    @Test("the parser regex (named groups, . not matching newlines) matches each pair of lines")
    func regexMatchesEachPair() throws {
        let (_, lines, text) = try Self.export()
        // ShiViz reads the regex as JavaScript; the braces are escaped, which means the same there and
        // in ICU (NSRegularExpression), so the very same pattern is tested here.
        let pattern = ShiVizWriter.parserRegex
        #expect(pattern == #"(?<event>.*)\n(?<host>\S*) (?<clock>\{.*\})"#)
        let regex = try NSRegularExpression(pattern: pattern, options: [])
        let body = Array(lines.dropFirst(2))
        for index in stride(from: 0, to: body.count, by: 2) {
            let pair = body[index] + "\n" + body[index + 1]
            let range = NSRange(pair.startIndex..., in: pair)
            let match = try #require(regex.firstMatch(in: pair, options: [], range: range), "no match: \(pair)")
            #expect(match.range == range, "the regex should cover the whole pair: \(pair)")
            func group(_ name: String) -> String? {
                Range(match.range(withName: name), in: pair).map { String(pair[$0]) }
            }
            #expect(group("event") == body[index])
            #expect(group("host") == String(body[index + 1].split(separator: " ")[0]))
            #expect(group("clock") == String(body[index + 1].split(separator: " ", maxSplits: 1)[1]))
        }
        // Over the whole file (as ShiViz reads it), one match per event.
        let events = String(text.dropFirst(ShiVizWriter.parserRegex.count + 2))
        let matches = regex.matches(in: events, options: [], range: NSRange(events.startIndex..., in: events))
        #expect(matches.count == HandMadeRun.vectors.count)
    }
}
