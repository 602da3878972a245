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

    /// Checks the options as given on the command line; `faults` are the `--fault` options, already
    /// read (each checked here against the cluster and the duration).
    public init(
        tickRates: String, duration: String, maxAction: String, seed: String, latency: String,
        outputDirectory: String, faults: [SimulatedCluster.ScheduledFault] = []
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
        configuration = SimulatedCluster.Configuration(
            tickRates: rates, maxAction: maxAction, seed: seed, latencyMicroseconds: Int64(latency), faults: faults)
        do {
            try SimulatedCluster.checkFaults(configuration)
        } catch {
            throw SettingsError("--fault", "\(error.field): \(error.problem)")
        }
        let end = NumberSetting.nanoseconds(seconds: self.duration) / 1000
        if let late = faults.first(where: { $0.atMicroseconds > end }) {
            throw SettingsError(
                "--fault",
                "at_s: must be at most the duration (\(duration)); got \(Double(late.atMicroseconds) / 1_000_000)")
        }
    }
}
