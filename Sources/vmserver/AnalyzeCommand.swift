import ArgumentParser
import Foundation
import VMService

/// `vmserver analyze RUN_DIR`: per-VM summary and the checks; exit 1 if a check fails.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Summarise a run folder's event logs and check them; exit 1 if a check fails.")

    @Argument(help: "A run folder (or LOG_DIR) holding vm<ID>.jsonl files.") var runDirectory: String

    func run() async throws {
        do {
            let files = try LogMerger.logFiles(inDirectory: runDirectory)
            guard !files.isEmpty else {
                FileHandleStandardError.write("vmserver: no vm<ID>.jsonl logs in \(runDirectory)\n")
                throw ExitCode(2)
            }
            let summaries = try files.map { path throws(LogParseError) in
                try VMRunSummary.read(path: path, vm: Int(path.split(separator: "/").last!.dropFirst(2).dropLast(6))!)
            }
            print(SummaryTable.render(summaries))
            let report = try RunChecker.check(logFiles: files)
            print("checks:\n" + SummaryTable.render(report), terminator: "")
            if !report.passed { throw ExitCode(1) }
        } catch let error as LogParseError {
            FileHandleStandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
    }
}
