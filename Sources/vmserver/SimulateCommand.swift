import ArgumentParser
import Foundation
import VMService

/// `vmserver simulate`: the same VM core in virtual time over an in-memory network, writing the
/// logs a real run would (fast: millions of events in seconds).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run VMs in simulated time and write their logs (for big runs and the analysis benchmark).",
        discussion:
            "Example: vmserver simulate --tick-rates 1,4,6 --duration 3600 --out runs/sim && vmserver analyze runs/sim")

    @Option(help: "Comma-separated ticks per second, one per VM.") var tickRates: String = "1,4,6"
    @Option(help: "Simulated seconds.") var duration: Double = 60
    @Option(help: "Idle ticks roll 1...K.") var maxAction: Int = 10
    @Option(help: "Seed of the run.") var seed: UInt64 = 1
    @Option(help: "Network delay of every message, in microseconds.") var latency: Int64 = 500
    @Option(help: "Folder for the logs (must not hold logs yet).") var out: String

    func run() async throws {
        let items = tickRates.split(separator: ",", omittingEmptySubsequences: false)
        let rates = items.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard rates.count == items.count, !rates.isEmpty,
            rates.allSatisfy({ $0 >= VMSettings.minimumTickRate && $0 <= VMSettings.maximumTickRate })
        else { return fail("--tick-rates", "expected numbers from 0.001 to 1000000, one per VM; got '\(tickRates)'") }
        guard maxAction >= rates.count else {
            return fail("--max-action", "must be at least the number of VMs (\(rates.count)); got \(maxAction)")
        }
        guard duration > 0, duration.isFinite else { return fail("--duration", "expected seconds > 0") }
        guard seed <= VMSettings.maximumSeed else { return fail("--seed", "expected 0-\(VMSettings.maximumSeed)") }
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: out),
            existing.contains(where: { $0.hasPrefix("vm") && $0.hasSuffix(".jsonl") })
        {
            return fail("--out", "\(out) already holds logs; choose another folder")
        }
        let configuration = SimulatedCluster.Configuration(
            tickRates: rates, maxAction: maxAction, seed: seed, latencyMicroseconds: latency)
        let clock = ContinuousClock()
        let started = clock.now
        let lines = try SimulatedRun.write(configuration, duration: duration, to: out)
        let seconds = (clock.now - started) / .seconds(1)
        print("wrote \(lines) lines for \(rates.count) VMs in \(String(format: "%.1f", seconds)) s to \(out)")
    }

    private func fail(_ setting: String, _ message: String) {
        FileHandleStandardError.write("vmserver: invalid \(setting): \(message)\n")
        Foundation.exit(2)
    }
}
