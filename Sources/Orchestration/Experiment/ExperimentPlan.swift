import Foundation
import LamportCore
import Settings
import Yams

/// An experiment: N VMs, several trials (each a fresh cluster), each trial running the same
/// phases one after the other, retuning the VMs over HTTP between phases. Read from YAML or JSON
/// (experiments/ has examples; docs/experiments.md describes every key).
public struct ExperimentPlan: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var vms: Int
    public var trials: Int
    /// Trial t uses seed + t - 1; nil draws a random seed per trial.
    public var seed: UInt64?
    /// Which VMs are linked (the `topology` key; default full). `random:K` draws each trial's
    /// graph from that trial's seed.
    public var topology: Topology = .full
    public var phases: [Phase]

    /// One stretch of a trial with fixed settings.
    public struct Phase: Sendable, Equatable {
        public var name: String
        public var duration: Double
        /// nil keeps the rates of the previous phase (the first phase then draws 1-6 from the seed).
        public var tickRates: RateChoice?
        /// nil keeps the previous phase's value (in the first phase each VM's default for its
        /// neighbour count, `ActionPolicy.defaultMaxAction`: 10 for 3 VMs).
        public var maxAction: Int?
        /// VMs paused during this phase; the others tick.
        public var paused: [Int]
        /// Faults set for the phase, its nemesis and its planned crashes.
        public var faults = PhaseFaults()
    }

    /// How a phase sets each VM's tick rate.
    public enum RateChoice: Sendable, Equatable {
        /// The same list each trial, one rate per VM.
        case fixed([TickRate])
        /// A random whole rate in this range per VM, drawn from the trial's seed.
        case random(ClosedRange<Int>)
    }

    /// Reads a plan file; the error names the file and what is wrong.
    public static func load(path: String) throws(SettingsError) -> ExperimentPlan {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SettingsError("PLAN", "cannot read \(path)")
        }
        let raw: RawPlan
        do {
            if path.hasSuffix(".json") {
                raw = try JSONDecoder().decode(RawPlan.self, from: Data(text.utf8))
            } else {
                raw = try YAMLDecoder().decode(RawPlan.self, from: text)
            }
        } catch {
            throw SettingsError("PLAN", "\(path) is not a valid plan: \(Self.describe(error))")
        }
        return try raw.validated(file: path)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)'" + at(context.codingPath)
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            return context.debugDescription + at(context.codingPath)
        default:
            return "\(error)"
        }
    }

    private static func at(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Total seconds of phases per trial.
    public var trialDuration: Double { phases.reduce(0) { $0 + $1.duration } }
}

/// The plan as written, before checking.
private struct RawPlan: Decodable {
    struct RawPhase: Decodable {
        var name: String?
        var duration: Double
        var tickRates: RawRates?
        var maxAction: Int?
        var paused: [Int]?
        var faults: [PlanValue]?
        var nemesis: PlanValue?
        var kill: [PlanValue]?

        enum CodingKeys: String, CodingKey {
            case name, duration, paused, faults, nemesis, kill
            case tickRates = "tick_rates"
            case maxAction = "max_action"
        }
    }

    enum RawRates: Decodable {
        case keyword(String)
        case list([String])
        case range(min: Int, max: Int)

        struct Range: Decodable {
            var min: Int
            var max: Int
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let keyword = try? container.decode(String.self) {
                self = .keyword(keyword)
            } else if let numbers = try? container.decode([Double].self) {
                // Whole numbers print without ".0"; Int(exactly:) is nil for fractions, infinities
                // and values beyond Int, which then print as they are and fail the rate check.
                self = .list(numbers.map { number in Int(exactly: number).map(String.init) ?? String(number) })
            } else if let texts = try? container.decode([String].self) {
                self = .list(texts)
            } else {
                let range = try container.decode(Range.self)
                self = .range(min: range.min, max: range.max)
            }
        }
    }

    var name: String?
    var description: String?
    var vms: Int?
    var trials: Int?
    var seed: UInt64?
    var topology: String?
    var phases: [RawPhase]

    /// The most VMs of a plan.
    static let maximumVMs = 20
    /// The most trials of a plan.
    static let maximumTrials = 100

    func validated(file: String) throws(SettingsError) -> ExperimentPlan {
        let vms = vms ?? 3
        guard (1...Self.maximumVMs).contains(vms) else {
            throw SettingsError("vms", "expected an integer from 1 to \(Self.maximumVMs) in \(file); got \(vms)")
        }
        let trials = trials ?? 1
        guard (1...Self.maximumTrials).contains(trials) else {
            throw SettingsError(
                "trials", "expected an integer from 1 to \(Self.maximumTrials) in \(file); got \(trials)")
        }
        // Trial t runs with seed + t - 1, which must be a valid SEED too.
        if let seed, seed > VMSettings.maximumSeed - UInt64(trials - 1) {
            throw SettingsError(
                "seed",
                "expected an integer from 0 to \(VMSettings.maximumSeed - UInt64(trials - 1)) "
                    + "(2^53 - 1 less trials - 1, as trial t uses seed + t - 1) in \(file); got \(seed)")
        }
        guard !phases.isEmpty else { throw SettingsError("phases", "\(file) lists no phases") }
        let topology =
            try topology.map { text throws(SettingsError) in
                try TopologySetting.parse(text, setting: "topology")
            } ?? .full
        let minimumMaxAction = try Self.minimumMaxAction(topology, vms: vms)
        var checked: [ExperimentPlan.Phase] = []
        for (index, phase) in phases.enumerated() {
            let label = "phases[\(index)]"
            guard phase.duration.isFinite,
                (NumberSetting.minimumSeconds...NumberSetting.maximumSeconds).contains(phase.duration)
            else {
                throw SettingsError(
                    "\(label).duration", "expected \(NumberSetting.secondsRange) in \(file); got \(phase.duration)")
            }
            if let maxAction = phase.maxAction,
                !(minimumMaxAction...VMSettings.maximumMaxAction).contains(maxAction)
            {
                throw SettingsError(
                    "\(label).max_action",
                    "expected an integer from the most neighbours of a VM + 1 (\(minimumMaxAction)) to "
                        + "\(VMSettings.maximumMaxAction); got \(maxAction)")
            }
            if let outside = phase.paused?.first(where: { !(1...vms).contains($0) }) {
                throw SettingsError("\(label).paused", "VM \(outside) is not one of 1-\(vms)")
            }
            checked.append(
                ExperimentPlan.Phase(
                    name: phase.name ?? "phase \(index + 1)", duration: phase.duration,
                    tickRates: try phase.tickRates.map { rates throws(SettingsError) in
                        try Self.rates(rates, vms: vms, label: "\(label).tick_rates")
                    },
                    maxAction: phase.maxAction, paused: phase.paused ?? [],
                    faults: try Self.faults(of: phase, index: index, vms: vms)))
        }
        try KillSchedule.check(checked.map { ($0.duration, $0.faults) })
        return ExperimentPlan(
            name: name ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
            description: description, vms: vms, trials: trials, seed: seed, topology: topology, phases: checked)
    }

    /// The smallest max_action every VM accepts: the most neighbours a VM has, plus 1. A random
    /// graph is checked with its largest possible neighbour count, as each trial draws its own.
    private static func minimumMaxAction(_ topology: Topology, vms: Int) throws(SettingsError) -> Int {
        if case .random(let count) = topology {
            _ = try TopologySetting.graph(topology, vmCount: vms, seed: 0, setting: "topology")
            return ActionPolicy.minimumMaxAction(neighbourCount: min(count, vms - 1))
        }
        let graph = try TopologySetting.graph(topology, vmCount: vms, seed: 0, setting: "topology")
        return ActionPolicy.minimumMaxAction(neighbourCount: graph.largestNeighbourCount)
    }

    private static func faults(of phase: RawPhase, index: Int, vms: Int) throws(SettingsError) -> PhaseFaults {
        let faults = try PhaseFaultsReader.read(
            faults: phase.faults, nemesis: phase.nemesis, kills: phase.kill, phase: index, vmCount: vms)
        try faults.check(vmCount: vms, duration: phase.duration)
        return faults
    }

    private static func rates(
        _ raw: RawRates, vms: Int, label: String
    ) throws(SettingsError)
        -> ExperimentPlan.RateChoice
    {
        switch raw {
        case .keyword(let word):
            guard word == "random" else {
                throw SettingsError(
                    label, "expected 'random', a list of \(vms) rates, or {min: A, max: B}; got '\(word)'")
            }
            return .random(1...6)
        case .list(let texts):
            guard texts.count == vms else {
                throw SettingsError(label, "expected \(vms) rates, one per VM; got \(texts.count)")
            }
            return .fixed(
                try texts.map { text throws(SettingsError) in try VMSettings.parseTickRate(text, setting: label) })
        case .range(let low, let high):
            guard low >= 1, high >= low, high <= 1_000_000 else {
                throw SettingsError(
                    label, "expected whole rates with 1 <= min <= max <= 1000000; got min \(low), max \(high)")
            }
            return .random(low...high)
        }
    }
}
