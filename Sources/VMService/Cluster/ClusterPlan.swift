import Foundation

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

    /// Checks the options, naming the flag at fault.
    public init(
        vmCount: Int, duration: Double, tickRates: String?, seed: UInt64?, maxAction: Int?, outputDirectory: String?
    ) throws(SettingsError) {
        guard (1...100).contains(vmCount) else { throw SettingsError("--vms", "expected 1-100 VMs; got \(vmCount)") }
        guard duration.isFinite, duration > 0 else {
            throw SettingsError("--duration", "expected seconds, a number > 0; got \(duration)")
        }
        self.vmCount = vmCount
        self.duration = duration
        if let tickRates {
            let parts = tickRates.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == vmCount else {
                throw SettingsError(
                    "--tick-rates", "expected \(vmCount) comma-separated rates, one per VM; got \(quoted(tickRates))")
            }
            self.tickRates = try parts.map { part throws(SettingsError) in
                try VMSettings.parseTickRate(part, setting: "--tick-rates")
            }
        } else {
            self.tickRates = nil
        }
        if let seed, seed > VMSettings.maximumSeed {
            throw SettingsError("--seed", "expected an integer 0-\(VMSettings.maximumSeed); got \(seed)")
        }
        self.seed = seed ?? UInt64.random(in: 0...VMSettings.maximumSeed)
        let maxAction = maxAction ?? max(10, vmCount)
        guard maxAction >= vmCount else {
            throw SettingsError("--max-action", "must be at least the number of VMs (\(vmCount)); got \(maxAction)")
        }
        self.maxAction = maxAction
        self.outputDirectory = outputDirectory ?? "runs/\(Self.timestamp())"
    }

    /// `20261126-154312`, UTC, for default run folder names.
    static func timestamp() -> String {
        var formatter = RFC3339Formatter()
        let text = formatter.string(.now())
        return String(text.prefix(19)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            .replacingOccurrences(of: "T", with: "-")
    }
}
