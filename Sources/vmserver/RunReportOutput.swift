import Analysis
import ArgumentParser
import EventLog
import SystemCalls

/// What `vmserver analyze` prints and writes for a run folder, shared by `analyze` and `collect`.
enum RunReportOutput {
    /// Analyzes `directory`, prints the summary and the checks, writes the report files (unless
    /// `writeFiles` is false) and `shiviz.log` (when asked). Returns whether every check passed;
    /// a log that cannot be read prints one line and exits 2.
    static func analyze(directory: String, shiviz: Bool, writeFiles: Bool) throws -> Bool {
        do {
            let writer = shiviz ? try ShiVizWriter(path: "\(directory)/shiviz.log") : nil
            let analysis = try RunAnalyzer.analyze(directory: directory, shiviz: writer)
            print(SummaryTable.render(analysis.summaries), terminator: "")
            print("\nchecks:\n" + SummaryTable.render(analysis), terminator: "")
            if analysis.concurrency.estimated { print("\n" + analysis.concurrency.methodSentence) }
            if writeFiles {
                let files = try AnalysisReport.write(analysis, to: directory)
                print("\nwrote \(files.joined(separator: ", ")) in \(directory)")
            }
            if shiviz { print("wrote \(directory)/shiviz.log (open it in ShiViz)") }
            return analysis.passed
        } catch let error as LogParseError {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
    }
}
