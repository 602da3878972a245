import Foundation
import Testing

/// `vmserver simulate`: logs of a simulated run that `vmserver analyze` passes; bad options exit 2.
@Suite(.serialized)
struct SimulateCommandTests {
    @Test("simulate writes one log per VM, and analyze passes them")
    func simulateThenAnalyze() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("sim")
        let simulate = try await workspace.run(
            "simulate", ["simulate", "--tick-rates", "10,20", "--duration", "30", "--out", out])
        #expect(simulate.exit == .code(0), "\(simulate.standardError)")
        let logs = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".jsonl") }.sorted()
        #expect(logs == ["vm1.jsonl", "vm2.jsonl"])
        // Tick k is due at k / rate: rate x 30 + 1 tick events per VM.
        for (vm, rate) in [(1, 10), (2, 20)] {
            let ticks = EventLogs.records("\(out)/vm\(vm).jsonl").filter { $0.kind?.isTickEvent == true }.count
            #expect(ticks == rate * 30 + 1, "vm\(vm)")
        }

        let analyze = try await workspace.run("analyze", ["analyze", out])
        #expect(analyze.exit == .code(0), "\(analyze.standardOutput)\n\(analyze.standardError)")
        #expect(!analyze.standardOutput.contains("FAIL"))
        for file in analysisFiles {
            #expect(FileManager.default.fileExists(atPath: "\(out)/\(file)"), "\(file) not written")
        }

        // The folder now holds logs: a second simulate into it is refused.
        let again = try await workspace.run("simulate-again", ["simulate", "--tick-rates", "10,20", "--out", out])
        #expect(again.exit == .code(2))
        #expect(
            again.standardErrorLines.count == 1 && again.standardErrorLines[0].contains("--out"),
            "\(again.standardError)")
    }

    struct BadOption: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var names: String

        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let badOptions = [
        BadOption(arguments: ["--tick-rates", "10,fast"], names: "--tick-rates"),
        BadOption(arguments: ["--tick-rates", "0,5"], names: "--tick-rates"),
        BadOption(arguments: ["--tick-rates", ""], names: "--tick-rates"),
        BadOption(arguments: ["--tick-rates", "1,2,3", "--max-action", "2"], names: "--max-action"),
        BadOption(arguments: ["--tick-rates", "1,2", "--duration", "0"], names: "--duration"),
    ]

    @Test("a bad option exits 2 with one line naming it", arguments: badOptions)
    func badOption(_ bad: BadOption) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("sim")
        let simulate = try await workspace.run("simulate", ["simulate"] + bad.arguments + ["--out", out])
        #expect(simulate.exit == .code(2))
        #expect(simulate.standardErrorLines.count == 1, "\(simulate.standardError)")
        #expect(simulate.standardErrorLines.first?.contains(bad.names) == true, "\(simulate.standardError)")
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        #expect(logs.isEmpty, "no logs written: \(logs)")
    }
}
