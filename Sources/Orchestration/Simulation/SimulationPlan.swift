import EventLog
import Foundation
import LamportCore
import Settings

/// What `vmserver simulate` runs, checked: every option within its stated range, naming the flag
/// at fault otherwise.
public struct SimulationPlan: Sendable {
    /// The most VMs of a simulation (each has a log file; its state is a few hundred bytes plus
    /// its neighbours' entries, see README "Scale").
    public static let maximumVMs = 100_000
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
    ///
    /// `vms` is `--vms` (without it, the number of `--tick-rates` listed); `tickRates` a list of one
    /// rate per VM or a range `LOW-HIGH` each VM draws from with the seed; `topology` is
    /// `--topology` (default full); `maxAction` nil gives each VM the default for its neighbour
    /// count (`ActionPolicy.defaultMaxAction`).
    public init(
        vms: String? = nil, tickRates: String, topology: String? = nil, duration: String, maxAction: String?,
        seed: String, latency: String, outputDirectory: String, faults: [PlannedFault] = [],
        nemesis: PlannedNemesis? = nil
    ) throws(SettingsError) {
        let seed = try NumberSetting.seed(seed, setting: "--seed")
        let spec = try TickRateSpec.parse(tickRates, setting: "--tick-rates")
        let vmCount: Int
        if let vms {
            vmCount = try NumberSetting.integer(
                vms, setting: "--vms", in: 1...Self.maximumVMs, accepts: "an integer from 1 to \(Self.maximumVMs)")
        } else if case .list(let listed) = spec {
            guard listed.count <= Self.maximumVMs else {
                throw SettingsError(
                    "--tick-rates", "expected at most \(Self.maximumVMs) rates, one per VM; got \(listed.count)")
            }
            vmCount = listed.count
        } else {
            throw SettingsError("--vms", "required with a range of --tick-rates; e.g. --vms 1000 --tick-rates 1-6")
        }
        let rates = try spec.rates(vmCount: vmCount, seed: seed, setting: "--tick-rates").map {
            rate throws(SettingsError) -> Double in
            guard case .perSecond(let value) = rate else {
                throw SettingsError(
                    "--tick-rates", "expected numbers of ticks per second; max is for real VMs, not simulated ones")
            }
            return value
        }
        let topology = try TopologySetting.parse(topology ?? "full", setting: "--topology")
        let graph = try TopologySetting.graph(topology, vmCount: vmCount, seed: seed, setting: "--topology")
        let minimum = ActionPolicy.minimumMaxAction(neighbourCount: graph.largestNeighbourCount)
        let maxAction = try maxAction.map { text throws(SettingsError) in
            try NumberSetting.integer(
                text, setting: "--max-action", in: minimum...VMSettings.maximumMaxAction,
                accepts:
                    "an integer from the most neighbours of a VM + 1 (\(minimum)) to \(VMSettings.maximumMaxAction)")
        }
        self.duration = try NumberSetting.seconds(duration, setting: "--duration")
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
        for fault in faults { try fault.check(vmCount: vmCount, duration: self.duration) }
        if let nemesis {
            if nemesis.nemesis.kind == .kill {
                throw SettingsError(
                    "--nemesis",
                    "kill: the simulator has no crashes; run kill with vmserver cluster --nemesis or in a plan")
            }
            try nemesis.check(vmCount: vmCount, duration: self.duration)
        }
        let steps = PhaseFaults(faults: faults, nemesis: nemesis)
            .steps(vmCount: vmCount, duration: self.duration, seed: seed, phaseIndex: 0, links: graph)
        let scheduled = steps.flatMap { step -> [SimulatedCluster.ScheduledFault] in
            guard case .faults(let set) = step.action else { return [] }
            let at = NumberSetting.nanoseconds(seconds: step.atSeconds) / 1000
            return set.map { SimulatedCluster.ScheduledFault(vm: $0.vm, atMicroseconds: at, request: $0.request) }
        }
        configuration = SimulatedCluster.Configuration(
            tickRates: rates, maxAction: maxAction, topology: topology, seed: seed,
            latencyMicroseconds: Int64(latency), faults: scheduled)
        do {
            try SimulatedCluster.checkFaults(configuration)
        } catch {
            throw SettingsError("--fault", "\(error.field): \(error.problem)")
        }
    }
}
