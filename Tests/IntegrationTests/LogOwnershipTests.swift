import Foundation
import Testing

@testable import Analysis

/// A VM never clobbers or mixes a log: a `vm<ID>.jsonl` that is not its own is refused, and so is
/// a second process with the same VM_ID and LOG_DIR. Both exit 2 with one line; the file is kept.
@Suite(.serialized)
struct LogOwnershipTests {
    struct Foreign: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        /// What the error line must say about the file.
        var reason: String

        var testDescription: String { label }
    }

    static func line(_ seq: Int, vm: Int) -> String {
        #"{"seq":\#(seq),"vm":\#(vm),"type":"internal","clock":\#(seq),"time":"2026-05-28T20:26:40.000000Z","queue":0}"#
            + "\n"
    }

    static let foreign = [
        Foreign(
            label: "300 KB without a line break", bytes: Array(repeating: UInt8(ascii: "a"), count: 300_000),
            reason: "without a line break"),
        Foreign(
            label: "VM 2's log", bytes: Array((1...200).map { line($0, vm: 2) }.joined().utf8),
            reason: "its last line is a line of VM 2"),
        Foreign(label: "a text file", bytes: Array("hello\nworld\n".utf8), reason: "not an event line"),
    ]

    @Test(
        "a vm<ID>.jsonl that is not this VM's log: exit 2, one line naming it, the file left as it was",
        arguments: foreign)
    func foreignFile(_ foreign: Foreign) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let environment = try BadSettingsTests.goodEnvironment(workspace)
        let path = workspace.path("logs") + "/vm1.jsonl"
        try FileManager.default.createDirectory(atPath: workspace.path("logs"), withIntermediateDirectories: true)
        try Data(foreign.bytes).write(to: URL(fileURLWithPath: path))

        let (exit, stderr) = try await BadSettingsTests.run(workspace, environment: environment)
        #expect(exit == .code(2), "\(stderr)")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.joined(separator: "\n"))")
        let message = stderr.first ?? ""
        #expect(message.hasPrefix("vmserver: "), "\(message)")
        #expect(message.contains(path + " is not the event log of VM 1"), "\(message)")
        #expect(message.contains(foreign.reason), "\(message)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(foreign.bytes), "the file must be untouched")
    }

    @Test("a second VM with the same VM_ID and LOG_DIR exits 2 with one line; the first runs on, its log valid")
    func secondProcessIsRefused() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        var environment = try BadSettingsTests.goodEnvironment(workspace)
        environment["TICK_RATE"] = "200"
        environment["RUN_TIME"] = "120"
        let path = workspace.path("logs") + "/vm1.jsonl"
        let first = try workspace.start("first", environment: environment)
        let started = await waitUntilStarted(logs: [path], processes: [first])
        try #require(started, "the first VM should start\n\(describe([first]))")

        // Everything else differs (ports), so only the log is shared.
        var second = try BadSettingsTests.goodEnvironment(workspace)
        second["LOG_DIR"] = environment["LOG_DIR"]
        let (exit, stderr) = try await BadSettingsTests.run(workspace, environment: second)
        #expect(exit == .code(2), "\(stderr)")
        #expect(stderr.count == 1, "exactly one line expected:\n\(stderr.joined(separator: "\n"))")
        #expect(stderr.first?.contains(path + " is in use by another running vmserver") == true, "\(stderr)")
        #expect(stderr.first?.contains("VM_ID 1") == true, "\(stderr)")

        // The first one carries on: more lines after the refusal, then a clean stop.
        let linesAtRefusal = EventLogs.records(path).count
        let carriedOn = await poll { EventLogs.records(path).count >= linesAtRefusal + 50 || !first.isRunning }
        #expect(carriedOn && first.isRunning, "\(describe([first]))")
        first.terminate()
        #expect(await first.waitForExit() == .code(0), "\(describe([first]))")

        let records = EventLogs.records(path)
        #expect(records.map(\.seq) == Array(1...records.count), "seq without gaps or repeats")
        #expect(records.filter { $0.kind == .start }.count == 1)
        #expect(records.filter { $0.kind == .stop }.count == 1)
        #expect(records.last?.kind == .stop)
        let report = try RunChecker.check(logFiles: [path])
        for check in report.checks {
            #expect(check.passed, "\(check.name): \(check.examples.joined(separator: "; "))")
        }
        #expect(report.crashedVMs.isEmpty)
    }
}
