import ArgumentParser
import Foundation
import LamportCore
import Orchestration
import Settings
import SystemCalls

/// `vmserver simulate`: the same VM core in virtual time over an in-memory network, writing the
/// logs a real run would (fast: millions of events in seconds).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run VMs in simulated time and write their logs (for big runs and the analysis benchmark).",
        discussion: """
            Example: vmserver simulate --tick-rates 1,4,6 --duration 3600 --out runs/sim && vmserver analyze runs/sim

            At scale: vmserver simulate --vms 10000 --topology random:4 --tick-rates 1-6 --duration 600 --out runs/big

            The same options always write the same logs: --seed fixes the rolls and, time being \
            simulated, how messages interleave with ticks too.

            Faults: --fault 'VM@AT_S:JSON' (repeatable) adds, AT_S simulated seconds into the run, \
            a fault to VM's outgoing messages; JSON is the body of POST /faults, and its duration_s \
            ends it (otherwise it lasts to the end). Example: \
            --fault '2@10:{"kind":"loss","probability":0.3,"duration_s":20}'. Their random draws \
            come from each VM's own fault stream of the seed, so the logs stay reproducible.

            Nemesis: --nemesis KIND,every=S,for=D cuts the VMs apart every S simulated seconds (the \
            first cycle at S) for D seconds (D < S), choosing afresh each cycle from the seed: \
            partition_halves (two random halves), isolate (one VM from all), bridge (two halves and \
            one VM that reaches both; 3+ VMs), majorities_ring (each VM reaches only a majority \
            around it in a random ring; 4+ VMs). Each cut is a partition fault on both sides with \
            duration_s D. kill is for vmserver cluster and plans: the simulator has no crashes.
            """)

    @Option(help: "Number of VMs, 1-\(SimulationPlan.maximumVMs) (default: as many as --tick-rates lists).")
    var vms: String?
    @Option(
        parsing: .unconditional,
        help:
            "Ticks per second: one per VM (1,4,6; 0.001-1000000), or a range of whole rates each VM draws from the seed (1-6)."
    )
    var tickRates: String = "1,4,6"
    @Option(help: "Which VMs are linked: full (default), ring, grid, random:K, or a JSON object id -> [ids].")
    var topology: String?
    @Option(parsing: .unconditional, help: "Simulated seconds, 0.001-31536000 (default 60).")
    var duration: String = "60"
    @Option(
        parsing: .unconditional,
        help:
            "Idle ticks roll 1...K, K from a VM's neighbours + 1 to 1000000 (default per VM: max(10, ceil(10 (neighbours + 1) / 3)), 10 for 3 VMs)."
    )
    var maxAction: String?
    @Option(parsing: .unconditional, help: "Seed of the run, 0-\(VMSettings.maximumSeed).") var seed: String = "1"
    @Option(
        parsing: .unconditional,
        help: "Network delay of every message in microseconds, 0-\(SimulationPlan.maximumLatency).")
    var latency: String = "500"
    @Option(help: "Folder for the logs (must not hold logs yet).") var out: String
    @OptionGroup var faults: FaultArgument
    @Option(
        parsing: .unconditional,
        help:
            "A nemesis: KIND,every=S,for=D, KIND one of partition_halves, isolate, bridge, majorities_ring (see below)."
    )
    var nemesis: String?

    func run() async throws {
        let plan: SimulationPlan
        do {
            plan = try SimulationPlan(
                vms: vms, tickRates: tickRates, topology: topology, duration: duration, maxAction: maxAction,
                seed: seed, latency: latency,
                outputDirectory: out, faults: faults.fault.map(FaultOptions.fault),
                nemesis: nemesis.map(FaultOptions.nemesis))
            try SimulationFileLimit.ensure(vmCount: plan.configuration.tickRates.count)
        } catch {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: SimulatedRun.Outcome
        do {
            outcome = try SimulatedRun.run(plan.configuration, duration: plan.duration, to: out)
        } catch {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(1)
        }
        let seconds = (clock.now - started) / .seconds(1)
        print(
            "wrote \(outcome.lines) lines (\(outcome.tickEvents) tick events) for "
                + "\(plan.configuration.tickRates.count) VMs in \(String(format: "%.1f", seconds)) s to \(out) "
                + "(\(Int((Double(outcome.tickEvents) / max(seconds, 0.001)).rounded())) tick events/s)")
    }
}
