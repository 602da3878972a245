import EventLog
import Foundation
import LamportCore
import Settings

/// What `vmserver simulate` runs, checked: every option within its stated range, naming the flag
/// at fault otherwise.
public struct SimulationPlan: Sendable {
    /// The most VMs of a simulation: as many as TOTAL_VMS allows (a log file open per VM).
    public static let maximumVMs = VMSettings.maximumVMs
    /// The longest network delay, in microseconds: one minute.
    public static let maximumLatency = RunLimits.maximumLatencyMicroseconds

    public var configuration: SimulatedCluster.Configuration
    /// Simulated seconds.
    public var duration: Double

    /// Checks the options as given on the command line; `faults` are the `--fault` options and
    /// `nemesis` the `--nemesis` option, already read by `FaultOptions` (each checked here against
    /// the cluster and the duration). A nemesis of a partition kind becomes scheduled `partition`
    /// faults with `duration_s` = `for_s`, drawn from the seed as in a cluster run; `kill` is
    /// refused, as the simulator has no crashes.
    public init(
        tickRates: String, duration: String, maxAction: String, seed: String, latency: String,
        outputDirectory: String, faults: [PlannedFault] = [], nemesis: PlannedNemesis? = nil
    ) throws(SettingsError) {
        let items = tickRates.split(separator: ",", omittingEmptySubsequences: false)
        let rates = items.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard rates.count == items.count, (1...Self.maximumVMs).contains(rates.count),
            rates.allSatisfy({ $0 >= VMSettings.minimumTickRate && $0 <= VMSettings.maximumTickRate })
        else {
            throw SettingsError(
                "--tick-rates",
                "expected 1 to \(Self.maximumVMs) comma-separated numbers from 0.001 to 1000000, one per VM; "
                    + "got \(quoted(tickRates))")
        }
        let maxAction = try NumberSetting.integer(
            maxAction, setting: "--max-action", in: rates.count...VMSettings.maximumMaxAction,
            accepts: "an integer from the number of VMs (\(rates.count)) to \(VMSettings.maximumMaxAction)")
        self.duration = try NumberSetting.seconds(duration, setting: "--duration")
        let seed = try NumberSetting.seed(seed, setting: "--seed")
        let latency = try NumberSetting.integer(
            latency, setting: "--latency", in: 0...Self.maximumLatency,
            accepts: "microseconds, an integer from 0 to \(Self.maximumLatency)")
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: outputDirectory),
            existing.contains(where: LogFileName.looksLikeLog)
        {
            throw SettingsError("--out", "\(outputDirectory) already holds logs; choose another folder")
        }
        // The checks of `vmserver cluster` and of plans: VMs and peers of this cluster, a VM not
        // naming itself, and a start before the end.
        for fault in faults { try fault.check(vmCount: rates.count, duration: self.duration) }
        if let nemesis {
            if nemesis.nemesis.kind == .kill {
                throw SettingsError(
                    "--nemesis",
                    "kill: the simulator has no crashes; run kill with vmserver cluster --nemesis or in a plan")
            }
            try nemesis.check(vmCount: rates.count, duration: self.duration)
        }
        let steps = PhaseFaults(faults: faults, nemesis: nemesis)
            .steps(vmCount: rates.count, duration: self.duration, seed: seed, phaseIndex: 0)
        let scheduled = steps.flatMap { step -> [SimulatedCluster.ScheduledFault] in
            guard case .faults(let set) = step.action else { return [] }
            let at = NumberSetting.nanoseconds(seconds: step.atSeconds) / 1000
            return set.map { SimulatedCluster.ScheduledFault(vm: $0.vm, atMicroseconds: at, request: $0.request) }
        }
        configuration = SimulatedCluster.Configuration(
            tickRates: rates, maxAction: maxAction, seed: seed, latencyMicroseconds: Int64(latency), faults: scheduled)
        do {
            try SimulatedCluster.checkFaults(configuration)
        } catch {
            throw SettingsError("--fault", "\(error.field): \(error.problem)")
        }
    }
}
