import Foundation

/// Everything one VM needs to run, validated. See the settings table in README.md.
public struct VMSettings: Sendable, Equatable {
    /// The setting names, which are the environment variables; `vmserver run` takes each as a flag
    /// too (`--vm-id`, `--tick-rate`, ...), and the flag wins.
    public static let names = [
        "VM_ID", "PORT", "PEERS", "TICK_RATE", "RUN_TIME", "LOG_DIR", "TOTAL_VMS", "STARTUP_TIMEOUT",
        "MAX_ACTION", "SEED", "HOST", "CONTROL_PORT", "CONTROL_HOST", "CONTROL_TOKEN",
        "PEER_SECRET",
    ]

    /// Seeds stay below 2^53 so they are exact as JSON numbers in every tool (jq, JavaScript).
    public static let maximumSeed: UInt64 = (1 << 53) - 1

    public var vmID: Int
    public var port: Int
    /// The peers this VM dials, ordered by id.
    public var peers: [PeerEndpoint]
    public var tickRate: TickRate
    /// True when TICK_RATE was not set and the rate was drawn from SEED.
    public var tickRateDrawn: Bool
    /// Seconds to run before stopping cleanly; nil runs until stopped.
    public var runTime: Double?
    public var logDirectory: String
    public var totalVMs: Int
    public var startupTimeout: Double
    public var maxAction: Int
    public var seed: UInt64
    public var host: String
    public var controlPort: Int
    public var controlHost: String
    public var controlToken: String?
    /// The cluster's shared secret: when set, every peer handshake proves both ends know it.
    public var peerSecret: String?

    /// The ids of all other VMs of the cluster, ascending: `1...TOTAL_VMS` without this VM.
    public var clusterPeerIDs: [Int] { (1...totalVMs).filter { $0 != vmID } }

    /// Reads and checks every setting. `values` maps setting names to their text, typically the
    /// environment merged with command-line flags. Empty values count as unset.
    ///
    /// - Parameter randomSeed: the seed used when SEED is unset (then logged, so a run can be repeated).
    public static func resolve(
        _ values: [String: String], randomSeed: UInt64 = UInt64.random(in: 0...maximumSeed)
    ) throws(SettingsError) -> VMSettings {
        let reader = SettingsReader(values: values)
        let vmID = try reader.integer("VM_ID", in: 1...1_000_000, accepts: "an integer >= 1")
        let port = try reader.integer("PORT", in: 1...65535, accepts: "a TCP port 1-65535")
        guard let vmID, let port else {
            throw SettingsError(vmID == nil ? "VM_ID" : "PORT", "required; set it in the environment or with a flag")
        }
        let totalVMs = try reader.integer("TOTAL_VMS", in: 1...1000, accepts: "an integer 1-1000") ?? 3
        guard vmID <= totalVMs else {
            throw SettingsError("VM_ID", "must be between 1 and TOTAL_VMS (\(totalVMs)); got \(vmID)")
        }
        let peers =
            try reader.value("PEERS").map { text throws(SettingsError) in try PeerEndpoint.parseList(text) } ?? []
        if let own = peers.first(where: { $0.id == vmID }) {
            throw SettingsError("PEERS", "must not name this VM's own id \(own.id)")
        }
        if let outside = peers.first(where: { $0.id > totalVMs }) {
            throw SettingsError("PEERS", "peer id \(outside.id) is above TOTAL_VMS (\(totalVMs))")
        }
        let seed = try reader.seed() ?? randomSeed
        let rateText = reader.value("TICK_RATE")
        let tickRate: TickRate
        if let rateText {
            tickRate = try Self.parseTickRate(rateText)
        } else {
            var draw = SeededRandom(seed: seed ^ 0x5EED_7A7E, vmID: vmID)
            tickRate = .perSecond(Double(draw.roll(in: 1...6)))
        }
        let maxAction = try reader.integer("MAX_ACTION", in: 1...1_000_000, accepts: "an integer >= TOTAL_VMS") ?? 10
        guard maxAction >= totalVMs else {
            throw SettingsError(
                "MAX_ACTION", "must be at least the number of VMs (TOTAL_VMS = \(totalVMs)); got \(maxAction)")
        }
        let runTime = try reader.number(
            "RUN_TIME", accepts: "seconds, a number >= 0 (0 = until stopped)", allowZero: true)
        let startupTimeout =
            try reader.number("STARTUP_TIMEOUT", accepts: "seconds, a number > 0", allowZero: false) ?? 30
        let controlPort = try reader.integer(
            "CONTROL_PORT", in: 0...65535, accepts: "a TCP port 0-65535 (0 = any free port)")
        let derivedControlPort = port + 1000
        if controlPort == nil && derivedControlPort > 65535 {
            throw SettingsError(
                "CONTROL_PORT", "PORT + 1000 = \(derivedControlPort) is not a valid port; set CONTROL_PORT")
        }
        if controlPort == port {
            throw SettingsError("CONTROL_PORT", "must differ from PORT (\(port))")
        }
        return VMSettings(
            vmID: vmID, port: port, peers: peers, tickRate: tickRate, tickRateDrawn: rateText == nil,
            runTime: runTime == 0 ? nil : runTime, logDirectory: reader.value("LOG_DIR") ?? "./logs",
            totalVMs: totalVMs, startupTimeout: startupTimeout, maxAction: maxAction, seed: seed,
            host: reader.value("HOST") ?? "127.0.0.1", controlPort: controlPort ?? derivedControlPort,
            controlHost: reader.value("CONTROL_HOST") ?? "127.0.0.1", controlToken: reader.value("CONTROL_TOKEN"),
            peerSecret: values["PEER_SECRET"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The highest numeric tick rate; above it, `max` (unthrottled) is what is meant.
    public static let maximumTickRate = 1_000_000.0
    /// The lowest tick rate: one tick in 1000 s.
    public static let minimumTickRate = 0.001

    /// Parses a tick rate: a number of ticks per second in [0.001, 1,000,000], or `max`.
    public static func parseTickRate(_ text: String, setting: String = "TICK_RATE") throws(SettingsError) -> TickRate {
        if text.lowercased() == "max" { return .unthrottled }
        guard let rate = Double(text), rate.isFinite, rate >= minimumTickRate, rate <= maximumTickRate else {
            throw SettingsError(
                setting, "expected ticks per second, a number from 0.001 to 1000000, or 'max'; got \(quoted(text))")
        }
        return .perSecond(rate)
    }
}

/// Typed access to raw setting values, producing `SettingsError`s that name the setting.
private struct SettingsReader {
    var values: [String: String]

    func value(_ name: String) -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }

    func integer(_ name: String, in range: ClosedRange<Int>, accepts: String) throws(SettingsError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let number = Int(text), range.contains(number) else {
            throw SettingsError(name, "expected \(accepts); got \(quoted(text))")
        }
        return number
    }

    func number(_ name: String, accepts: String, allowZero: Bool) throws(SettingsError) -> Double? {
        guard let text = value(name) else { return nil }
        guard let number = Double(text), number.isFinite, number > 0 || (allowZero && number == 0) else {
            throw SettingsError(name, "expected \(accepts); got \(quoted(text))")
        }
        return number
    }

    func seed() throws(SettingsError) -> UInt64? {
        guard let text = value("SEED") else { return nil }
        guard let seed = UInt64(text), seed <= VMSettings.maximumSeed else {
            throw SettingsError("SEED", "expected an integer 0-\(VMSettings.maximumSeed); got \(quoted(text))")
        }
        return seed
    }
}
