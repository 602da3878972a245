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
    public var seed: UInt64
    public var maxAction: Int
    public var outputDirectory: String
    /// The `--fault`, `--nemesis` and `--kill` options: the run is one phase that has them.
    public var faults: PhaseFaults

    /// The most VMs `vmserver cluster` (and `vmserver bench`) starts on one host: 100.
    ///
    /// Each VM is a separate process (about 30 MiB resident, 3-5 MiB of it its own) holding a TCP
    /// connection to every other VM, so N VMs make N(N-1)/2 connections, and their MAX_ACTION is at
    /// least N. On the 2-core machine this project is developed on, 100 VMs at 1-6 ticks/s take
    /// about 20 s to connect, a round of the live view's `GET /status` takes seconds, and some VMs
    /// may miss the 1% tick rate check: beyond that the VMs mostly measure the host's load.
    /// `vmserver simulate` runs larger clusters in simulated time.
    public static let maximumVMs = 100

    /// Checks the options as given on the command line (nil = not given), naming the flag at fault.
    /// `faults`, `nemesis` and `kills` are the values of `--fault` (`VM@AT_S:JSON`), `--nemesis`
    /// (`KIND,every=S,for=D`) and `--kill` (`VM@AT_S[+RESTART_S]`), read by `FaultOptions` and
    /// checked against the cluster and the duration as a plan's phase is.
    public init(
        vms: String?, duration: String?, tickRates: String?, seed: String?, maxAction: String?,
        outputDirectory: String?, faults: [String] = [], nemesis: String? = nil, kills: [String] = []
    ) throws(SettingsError) {
        let vmCount =
            try vms.map { text throws(SettingsError) in
                try NumberSetting.integer(
                    text, setting: "--vms", in: 1...Self.maximumVMs,
                    accepts: "an integer from 1 to \(Self.maximumVMs) (the limit of one host; see --help)")
            } ?? 3
        self.vmCount = vmCount
        self.duration =
            try duration.map { text throws(SettingsError) in try NumberSetting.seconds(text, setting: "--duration") }
            ?? 60
        if let tickRates {
            let parts = tickRates.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == vmCount else {
                throw SettingsError(
                    "--tick-rates",
                    "expected \(vmCount) comma-separated rates, one per VM; got \(quoted(tickRates))")
            }
            self.tickRates = try parts.map { part throws(SettingsError) in
                try VMSettings.parseTickRate(part, setting: "--tick-rates")
            }
        } else {
            self.tickRates = nil
        }
        self.seed =
            try seed.map { text throws(SettingsError) in try NumberSetting.seed(text, setting: "--seed") }
            ?? UInt64.random(in: 0...VMSettings.maximumSeed)
        self.maxAction =
            try maxAction.map { text throws(SettingsError) in
                try NumberSetting.integer(
                    text, setting: "--max-action", in: vmCount...VMSettings.maximumMaxAction,
                    accepts: "an integer from the number of VMs (\(vmCount)) to \(VMSettings.maximumMaxAction)")
            } ?? max(10, vmCount)
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
