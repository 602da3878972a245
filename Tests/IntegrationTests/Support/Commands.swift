import Foundation

extension TestWorkspace {
    /// Runs `vmserver arguments...` to its end (killed by `cleanUp()` if it outlives `timeout`);
    /// returns the process, for its exit and output.
    func run(_ name: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> ServerProcess {
        let process = try start(name, arguments: arguments, environment: [:])
        _ = await process.waitForExit(timeout: timeout)
        return process
    }

    /// Copies the `vm<ID>.jsonl` files of `source` into a new folder `name` of the workspace.
    func copyLogs(from source: String, to name: String) throws -> String {
        let target = path(name)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: source)
        where file.hasPrefix("vm") && file.hasSuffix(".jsonl") {
            try FileManager.default.copyItem(atPath: "\(source)/\(file)", toPath: "\(target)/\(file)")
        }
        return target
    }
}

/// The names of the files `vmserver analyze` writes into a run folder.
let analysisFiles = [
    "summary.json", "report.md", "report.html", "clock.svg", "queue.svg", "jumps.svg", "drift.svg", "spacetime.svg",
]
