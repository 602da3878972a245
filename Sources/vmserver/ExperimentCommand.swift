import ArgumentParser
import Dashboard
import Foundation
import Orchestration
import SystemCalls

/// `vmserver experiment PLAN`: trials of phases against live clusters, over HTTP, then a comparison.
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run an experiment plan (YAML or JSON): trials of phases, retuned live over HTTP, compared.",
        discussion: """
            Examples: vmserver experiment experiments/quick.yaml      (about a minute)
                      vmserver experiment experiments/classic.yaml    (5 trials x 3 phases x 60 s)
                      vmserver experiment experiments/one-way-partition.yaml   (a fault, 1 minute)
            Each trial leaves a run folder with its report; the comparison goes beside them.

            A phase may also set faults (the POST /faults body plus vm and at_s; removed at the \
            phase's end), a nemesis ({kind: partition_halves|isolate|bridge|majorities_ring|kill, \
            every_s: S, for_s: D}) and kills ({vm: N, at_s: T, restart_after_s: D}); what the runner \
            does is printed and written to each trial's faults.json. docs/experiments.md has every key.
            """)

    @Argument(help: "The plan file (.yaml, .yml or .json).") var plan: String
    @Option(help: "Folder for the results (default runs/<plan name>-<UTC time>).") var out: String?
    @Option(
        parsing: .unconditional,
        help:
            "Serve the live dashboard on 127.0.0.1:PORT (default \(DashboardArgument.defaultPort); 0 picks a free port)."
    )
    var dashboard: String?

    func run() async throws {
        // A Ctrl-C from now on stops the experiment (after its current trial) instead of ending the process.
        await InterruptSignals.process.trap()
        defer { InterruptSignals.process.release() }
        let loaded: ExperimentPlan
        do {
            loaded = try ExperimentPlan.load(path: plan)
            try LocalCluster.checkInheritedLogLevel()
        } catch {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
        let port = try dashboard.map { try DashboardArgument.port($0, option: "--dashboard") }
        var runner = ExperimentRunner(plan: loaded, executable: currentExecutable(), outputDirectory: out) { text in
            StandardOutput.write(text)
        }
        let server = try port.map {
            try DashboardArgument.start(host: "127.0.0.1", port: $0, urls: [], option: "--dashboard")
        }
        if let server { runner.launched = { urls in server.watch(urls) } }
        let code = await runner.run()
        server?.stop()
        if code != 0 { throw ExitCode(code) }
    }
}
