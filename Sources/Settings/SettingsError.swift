/// A setting with a value that cannot be used. `description` is the one line shown to the user:
/// the setting's name, what it accepts, and what it got.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    /// The environment variable name of the setting, e.g. `PEERS` (or the flag or plan key, e.g. `--vms`).
    public var setting: String
    public var message: String

    public init(_ setting: String, _ message: String) {
        self.setting = setting
        self.message = message
    }

    /// One line, whatever the message holds (a library's error text may span several).
    public var description: String {
        "invalid \(setting): "
            + message.split(whereSeparator: \.isNewline).map { $0.trimmingPrefix(while: \.isWhitespace) }
            .joined(separator: " ")
    }
}
