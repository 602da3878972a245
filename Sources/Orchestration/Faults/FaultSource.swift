import Settings

/// Where a planned fault, kill or nemesis comes from: a plan key or a command-line option. It
/// names the entry in errors (as the setting a `SettingsError` names) and in the runner's
/// progress lines and `faults.json`.
public struct FaultSource: Sendable, Equatable {
    /// The setting errors name: a plan key such as `phases[1].faults[0]`, to which the field at
    /// fault is appended (`phases[1].faults[0].probability`), or a flag such as `--fault`, after
    /// which the message names the field.
    public var setting: String
    /// Whether `setting` is a command-line flag.
    public var isFlag: Bool
    /// The entry in progress lines: `faults[0]`, `kill[1]`, `nemesis`, `--fault 2@5:{...}`.
    public var label: String
    /// How a flag's value spells the fields it has under other names (`every` for `every_s`).
    public var spelled: [String: String] = [:]

    /// An entry of a plan: `setting` is its key path, `label` the part after the phase.
    public static func plan(phase: Int, key: String) -> FaultSource {
        FaultSource(setting: "phases[\(phase)].\(key)", isFlag: false, label: key)
    }

    /// A command-line option as given, e.g. `--kill` `2@5+3`; `spelled` maps fields to the
    /// names the option's value uses for them.
    public static func option(_ flag: String, _ value: String, spelled: [String: String] = [:]) -> FaultSource {
        FaultSource(setting: flag, isFlag: true, label: "\(flag) \(value)", spelled: spelled)
    }

    /// The one-line error for `field` (nil: the entry as a whole) with `problem`.
    public func error(_ field: String?, _ problem: String) -> SettingsError {
        guard let field else { return SettingsError(setting, problem) }
        guard isFlag else { return SettingsError("\(setting).\(field)", problem) }
        return SettingsError(setting, "\(spelled[field] ?? field): \(problem)")
    }
}
