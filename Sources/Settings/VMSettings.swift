import LamportCore
import Logging

/// Everything one VM needs to run, validated. See the settings table in README.md.
public struct VMSettings: Sendable, Equatable {
    /// The setting names, which are the environment variables; `vmserver run` takes each as a flag
    /// too (`--vm-id`, `--tick-rate`, ...), and the flag wins.
    public static let names = [
        "VM_ID", "PORT", "PEERS", "TICK_RATE", "RUN_TIME", "LOG_DIR", "TOTAL_VMS", "STARTUP_TIMEOUT",
        "MAX_ACTION", "SEED", "HOST", "CONTROL_PORT", "CONTROL_HOST", "CONTROL_TOKEN", "PEER_SECRET",
        "LOG_LEVEL", "SERVE_AFTER_STOP", "TOPOLOGY",
    ]

    /// The `vmserver run` flag of a setting: `TICK_RATE` is `--tick-rate`.
    public static func flag(of name: String) -> String {
        "--" + String(name.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// Seeds stay below 2^53 so they are exact as JSON numbers in every tool (jq, JavaScript).
    public static let maximumSeed = RunLimits.maximumSeed

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
    /// True when CONTROL_PORT was not set and is PORT + 1000.
    public var controlPortDerived = false
    public var controlHost: String
    public var controlToken: String?
    /// How much diagnostics (not the event log) go to standard error.
    public var logLevel: Logger.Level = .info
    /// The cluster's shared secret: when set, every peer handshake proves both ends know it.
    public var peerSecret: String?
    /// Seconds the control plane keeps answering after the VM stopped (its whole log stays
    /// readable over `GET /log`, e.g. for `vmserver collect` on another host); nil: exit at once.
    public var serveAfterStop: Double?

    /// How the cluster's VMs are linked (TOPOLOGY; `full` by default: every VM to every other).
    public var topology: Topology = .full
    /// This VM's neighbours in the topology, ascending: the only VMs it dials, accepts, waits for
    /// at the start and sends to. In a full topology, every other VM of the cluster.
    public var neighbourIDs: [Int] = []
    /// PEERS entries dropped because they are not neighbours (one warning line at the start).
    public var ignoredPeerIDs: [Int] = []

    /// Reads and checks every setting. `values` maps setting names to their text, typically the
    /// environment merged with command-line flags. Empty values count as unset.
    ///
    /// A PEERS entry with this VM's own id is left out, so one PEERS value can serve every VM of a
    /// cluster (a Kubernetes StatefulSet's pods all get the same list).
    ///
    /// - Parameters:
    ///   - randomSeed: the seed used when SEED is unset (then logged, so a run can be repeated).
    ///   - hostName: the machine's host name, read only for `VM_ID=auto` (see `VMIdentity`).
    public static func resolve(
        _ values: [String: String], randomSeed: UInt64 = UInt64.random(in: 0...maximumSeed),
        hostName: @autoclosure () -> String? = nil
    ) throws(SettingsError) -> VMSettings {
        let reader = SettingsReader(values: values)
        let totalVMs =
            try reader.integer("TOTAL_VMS", in: 1...maximumVMs, accepts: "an integer from 1 to \(maximumVMs)") ?? 3
        let vmID = try VMIdentity.resolve(reader.value("VM_ID"), totalVMs: totalVMs, hostName: hostName)
        let port = try reader.integer("PORT", in: 1...65535, accepts: "a TCP port from 1 to 65535")
        guard let vmID, let port else {
            throw SettingsError(vmID == nil ? "VM_ID" : "PORT", "required; set it in the environment or with a flag")
        }
        let listedPeers =
            try reader.value("PEERS").map { text throws(SettingsError) in
                try PeerEndpoint.parseList(text).filter { $0.id != vmID }
            } ?? []
        if let outside = listedPeers.first(where: { $0.id > totalVMs }) {
            throw SettingsError("PEERS", "peer id \(outside.id) is above TOTAL_VMS (\(totalVMs))")
        }
        let seed = try reader.value("SEED").map { text throws(SettingsError) in
            try NumberSetting.seed(text, setting: "SEED")
        }
        let topology =
            try reader.value("TOPOLOGY").map { text throws(SettingsError) in
                try TopologySetting.parse(text, setting: "TOPOLOGY")
            } ?? .full
        if topology.usesSeed && seed == nil {
            throw SettingsError(
                "TOPOLOGY",
                "\(topology) draws the graph from SEED, and every VM must draw the same one: set SEED (the same for all VMs)"
            )
        }
        let neighbourIDs = try Self.neighbours(of: vmID, topology: topology, totalVMs: totalVMs, seed: seed ?? 0)
        let neighbourSet = Set(neighbourIDs)
        let peers = listedPeers.filter { neighbourSet.contains($0.id) }
        let rateText = reader.value("TICK_RATE")
        let tickRate: TickRate
        if let rateText {
            tickRate = try Self.parseTickRate(rateText)
        } else {
            tickRate = .perSecond(
                Double(
                    TickRateSpec.drawnRate(in: TickRateSpec.defaultRange, seed: seed ?? randomSeed, vmID: vmID)))
        }
        let minimumMaxAction = ActionPolicy.minimumMaxAction(neighbourCount: neighbourIDs.count)
        let maxAction =
            try reader.integer(
                "MAX_ACTION", in: minimumMaxAction...maximumMaxAction,
                accepts:
                    "an integer from \(minimumMaxAction) (this VM's \(neighbourIDs.count) neighbours + 1) to \(maximumMaxAction)"
            ) ?? ActionPolicy.defaultMaxAction(neighbourCount: neighbourIDs.count)
        let runTime = try reader.value("RUN_TIME").map { text throws(SettingsError) in
            try NumberSetting.number(
                text, setting: "RUN_TIME", in: NumberSetting.minimumSeconds...NumberSetting.maximumSeconds,
                zeroAllowed: true, accepts: "\(NumberSetting.secondsRange), or 0 = until stopped")
        }
        let serveAfterStop = try reader.value("SERVE_AFTER_STOP").map { text throws(SettingsError) in
            try NumberSetting.number(
                text, setting: "SERVE_AFTER_STOP",
                in: NumberSetting.minimumSeconds...NumberSetting.maximumSeconds,
                zeroAllowed: true, accepts: "\(NumberSetting.secondsRange), or 0 = exit at once")
        }
        let startupTimeout = try reader.value("STARTUP_TIMEOUT").map { text throws(SettingsError) in
            try NumberSetting.seconds(text, setting: "STARTUP_TIMEOUT")
        }
        let controlPort = try reader.integer(
            "CONTROL_PORT", in: 0...65535, accepts: "a TCP port from 0 to 65535 (0 = any free port)")
        let derivedControlPort = port + 1000
        if controlPort == nil && derivedControlPort > 65535 {
            throw SettingsError(
                "CONTROL_PORT", "PORT + 1000 = \(derivedControlPort) is not a valid port; set CONTROL_PORT")
        }
        if controlPort == port {
            throw SettingsError("CONTROL_PORT", "must differ from PORT (\(port))")
        }
        let controlToken = reader.value("CONTROL_TOKEN")
        if let controlToken, controlToken.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            throw SettingsError(
                "CONTROL_TOKEN",
                "expected text without control characters (it is sent in an HTTP header); got \(quoted(controlToken))")
        }
        let logLevel = try reader.value("LOG_LEVEL").map { text throws(SettingsError) in try parseLogLevel(text) }
        return VMSettings(
            vmID: vmID, port: port, peers: peers, tickRate: tickRate, tickRateDrawn: rateText == nil,
            runTime: runTime == 0 ? nil : runTime, logDirectory: reader.value("LOG_DIR") ?? "./logs",
            totalVMs: totalVMs, startupTimeout: startupTimeout ?? 30, maxAction: maxAction, seed: seed ?? randomSeed,
            host: reader.value("HOST") ?? "127.0.0.1", controlPort: controlPort ?? derivedControlPort,
            controlPortDerived: controlPort == nil,
            controlHost: reader.value("CONTROL_HOST") ?? "127.0.0.1", controlToken: controlToken,
            logLevel: logLevel ?? .info, peerSecret: values["PEER_SECRET"].flatMap { $0.isEmpty ? nil : $0 },
            serveAfterStop: serveAfterStop == 0 ? nil : serveAfterStop, topology: topology,
            neighbourIDs: neighbourIDs,
            ignoredPeerIDs: listedPeers.map(\.id).filter { !neighbourSet.contains($0) })
    }

    /// The neighbours of VM `vmID` in `topology` over VMs 1...totalVMs.
    private static func neighbours(
        of vmID: Int, topology: Topology, totalVMs: Int, seed: UInt64
    ) throws(SettingsError) -> [Int] {
        try TopologySetting.graph(topology, vmCount: totalVMs, seed: seed, setting: "TOPOLOGY").neighbours(of: vmID)
    }

    /// Parses LOG_LEVEL: one of swift-log's levels, in any case.
    public static func parseLogLevel(_ text: String) throws(SettingsError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.trimmingSpaces().lowercased()) else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw SettingsError("LOG_LEVEL", "expected one of \(levels); got \(quoted(text))")
        }
        return level
    }

    /// The largest TOTAL_VMS. What one host can run is less (`vmserver cluster` computes it); the
    /// VMs of a big cluster spread over hosts, each linked to its neighbours only.
    public static let maximumVMs = 10_000
    /// The largest MAX_ACTION (also of `PATCH /config`).
    public static let maximumMaxAction = 1_000_000

    /// The highest numeric tick rate; above it, `max` (unthrottled) is what is meant.
    public static let maximumTickRate = RunLimits.maximumTickRate
    /// The lowest tick rate: one tick in 1000 s.
    public static let minimumTickRate = RunLimits.minimumTickRate

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
        guard let raw = values[name]?.trimmingSpaces(), !raw.isEmpty else { return nil }
        return raw
    }

    func integer(_ name: String, in range: ClosedRange<Int>, accepts: String) throws(SettingsError) -> Int? {
        guard let text = value(name) else { return nil }
        return try NumberSetting.integer(text, setting: name, in: range, accepts: accepts)
    }
}
