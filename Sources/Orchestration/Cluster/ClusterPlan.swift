import EventLog
import Foundation
import LamportCore
import Settings

/// What `vmserver cluster` runs: N VMs on this host for a duration.
public struct ClusterPlan: Sendable, Equatable {
    public var vmCount: Int
    /// Seconds of ticking, counted from the moment every VM is running.
    public var duration: Double
    /// One rate per VM; nil lets each VM draw 1-6 from the seed.
    public var tickRates: [TickRate]?
    /// The `--tick-rates` value as given (a list, or a range each VM draws from); nil when not given.
    public var tickRateSpec: TickRateSpec?
    public var seed: UInt64
    /// `--max-action`; nil lets each VM use its default for its neighbour count.
    public var maxAction: Int?
    /// `--topology` (full by default) and the graph it makes for this many VMs and this seed.
    public var topology: Topology
    public var graph: TopologyGraph
    public var outputDirectory: String
    /// The `--fault`, `--nemesis` and `--kill` options: the run is one phase that has them.
    public var faults: PhaseFaults

    /// The largest `--vms` accepted as a number; whether this host can hold that many is computed
    /// before starting (`ClusterFootprint`), and a cluster beyond it is refused with the resource
    /// that is short.
    public static let maximumVMs = 1_000_000

    /// Checks the options as given on the command line (nil = not given), naming the flag at fault.
    /// `faults`, `nemesis` and `kills` are the values of `--fault` (`VM@AT_S:JSON`), `--nemesis`
    /// (`KIND,every=S,for=D`) and `--kill` (`VM@AT_S[+RESTART_S]`), read by `FaultOptions` and
    /// checked against the cluster and the duration as a plan's phase is.
    public init(
        vms: String?, duration: String?, tickRates: String?, seed: String?, maxAction: String?,
        outputDirectory: String?, faults: [String] = [], nemesis: String? = nil, kills: [String] = [],
        topology: String? = nil
    ) throws(SettingsError) {
        let vmCount =
            try vms.map { text throws(SettingsError) in
                try NumberSetting.integer(
                    text, setting: "--vms", in: 1...Self.maximumVMs,
                    accepts: "an integer from 1 to \(Self.maximumVMs) (what this host holds is computed at the start)")
            } ?? 3
        self.vmCount = vmCount
        self.duration =
            try duration.map { text throws(SettingsError) in try NumberSetting.seconds(text, setting: "--duration") }
            ?? 60
        let seed =
            try seed.map { text throws(SettingsError) in try NumberSetting.seed(text, setting: "--seed") }
            ?? UInt64.random(in: 0...VMSettings.maximumSeed)
        self.seed = seed
        self.tickRateSpec = try tickRates.map { text throws(SettingsError) in
            try TickRateSpec.parse(text, setting: "--tick-rates")
        }
        self.tickRates = try tickRateSpec.map { spec throws(SettingsError) in
            try spec.rates(vmCount: vmCount, seed: seed, setting: "--tick-rates")
        }
        let topology =
            try topology.map { text throws(SettingsError) in
                try TopologySetting.parse(text, setting: "--topology")
            } ?? .full
        self.topology = topology
        self.graph = try TopologySetting.graph(topology, vmCount: vmCount, seed: seed, setting: "--topology")
        let minimumMaxAction = ActionPolicy.minimumMaxAction(neighbourCount: graph.largestNeighbourCount)
        self.maxAction = try maxAction.map { text throws(SettingsError) in
            try NumberSetting.integer(
                text, setting: "--max-action", in: minimumMaxAction...VMSettings.maximumMaxAction,
                accepts:
                    "an integer from \(minimumMaxAction) (the most neighbours a VM has, + 1) to \(VMSettings.maximumMaxAction)"
            )
        }
        self.outputDirectory = outputDirectory ?? "runs/\(Self.timestamp())"
        self.faults = PhaseFaults(
            faults: try faults.map { text throws(SettingsError) in try FaultOptions.fault(text) },
            nemesis: try nemesis.map { text throws(SettingsError) in try FaultOptions.nemesis(text) },
            kills: try kills.map { text throws(SettingsError) in try FaultOptions.kill(text) })
        try self.faults.check(vmCount: vmCount, duration: self.duration)
        try KillSchedule.check([(self.duration, self.faults)])
    }

    /// `20261126-154312`, UTC, for default run folder names.
    static func timestamp() -> String {
        var formatter = RFC3339Formatter()
        let text = formatter.string(.now())
        return String(text.prefix(19)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "T", with: "-")
    }
}
