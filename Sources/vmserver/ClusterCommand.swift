import ArgumentParser
import Foundation
import VMService

/// `vmserver cluster`: N VMs as processes on this host, with progress, clean stop and a summary.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Start N VMs as separate processes on this host, run them, stop them cleanly, summarise.",
        discussion: "Example: vmserver cluster --vms 3 --duration 60 --tick-rates 1,4,6 --seed 7")

    @Option(help: "Number of VMs.") var vms: Int = 3
    @Option(help: "Seconds to run once all VMs tick.") var duration: Double = 60
    @Option(help: "Comma-separated ticks per second, one per VM (or 'max'); default random 1-6 from the seed.")
    var tickRates: String?
    @Option(help: "Seed of the run (each VM mixes in its id); default random.") var seed: UInt64?
    @Option(help: "Idle ticks roll 1...K (default 10, at least the number of VMs).") var maxAction: Int?
    @Option(help: "Run folder for logs and settings (default runs/<UTC time>).") var out: String?

    func run() async throws {
        let plan: ClusterPlan
        do {
            plan = try ClusterPlan(
                vmCount: vms, duration: duration, tickRates: tickRates, seed: seed, maxAction: maxAction,
                outputDirectory: out)
        } catch {
            FileHandleStandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
        let runner = ClusterRunner(plan: plan, executable: currentExecutable()) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        let code = await runner.run()
        if code != 0 { throw ExitCode(code) }
    }
}

/// The path of the running `vmserver` binary, to start more of it.
func currentExecutable() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
}
