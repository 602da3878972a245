import ArgumentParser

/// `vmserver analyze RUN_DIR`: the report of a run and its checks; exit 1 if a check fails.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyze a run folder: summary.json, report.md, report.html and SVG plots; exit 1 if a check fails.",
        discussion: """
            Reads the vm<ID>.jsonl logs of RUN_DIR (a run folder of `vmserver cluster`, or any LOG_DIR)
            and writes the report files into it. With --shiviz, also writes shiviz.log for ShiViz.
            """)

    @Argument(help: "A run folder (or LOG_DIR) holding vm<ID>.jsonl files.") var runDirectory: String
    @Flag(help: "Also write shiviz.log (ShiViz's log format, vector clocks rebuilt from the logs).")
    var shiviz = false
    @Flag(help: "Only print the summary and checks; write no files.") var noFiles = false

    func run() async throws {
        if !(try RunReportOutput.analyze(directory: runDirectory, shiviz: shiviz, writeFiles: !noFiles)) {
            throw ExitCode(1)
        }
    }
}
