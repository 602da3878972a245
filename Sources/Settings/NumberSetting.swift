import LamportCore

/// Reads the numeric settings and command options, each with a stated accepted range.
///
/// Every value from outside (an environment variable, a flag, a plan key) goes through here before
/// any arithmetic depends on it, so no text can make a conversion trap: a bad value is a
/// `SettingsError` naming the setting and what it accepts.
public enum NumberSetting {
    /// The longest span of seconds any setting accepts (RUN_TIME, STARTUP_TIMEOUT, `--duration`,
    /// plan phases): 365 days.
    public static let maximumSeconds = RunLimits.maximumSeconds
    /// The shortest positive span of seconds: one millisecond.
    public static let minimumSeconds = 0.001

    /// "seconds, a number from 0.001 to 31536000 (365 days)".
    public static let secondsRange = "seconds, a number from 0.001 to 31536000 (365 days)"

    /// An integer in `range`; `accepts` says what is accepted, e.g. "a TCP port from 1 to 65535".
    public static func integer(
        _ text: String, setting: String, in range: ClosedRange<Int>, accepts: String
    ) throws(SettingsError) -> Int {
        guard let number = Int(text.trimmingSpaces()), range.contains(number) else {
            throw SettingsError(setting, "expected \(accepts); got \(quoted(text))")
        }
        return number
    }

    /// A finite number in `range`, or 0 when `zeroAllowed` (e.g. RUN_TIME 0 = until stopped).
    public static func number(
        _ text: String, setting: String, in range: ClosedRange<Double>, zeroAllowed: Bool = false, accepts: String
    ) throws(SettingsError) -> Double {
        guard let number = Double(text.trimmingSpaces()), number.isFinite,
            range.contains(number) || (zeroAllowed && number == 0)
        else {
            throw SettingsError(setting, "expected \(accepts); got \(quoted(text))")
        }
        return number
    }

    /// Seconds from 0.001 to 365 days.
    public static func seconds(_ text: String, setting: String) throws(SettingsError) -> Double {
        try number(text, setting: setting, in: minimumSeconds...maximumSeconds, accepts: secondsRange)
    }

    /// A seed from 0 to 2^53 - 1.
    public static func seed(_ text: String, setting: String) throws(SettingsError) -> UInt64 {
        guard let seed = UInt64(text.trimmingSpaces()), seed <= VMSettings.maximumSeed else {
            throw SettingsError(setting, "expected \(seedRange); got \(quoted(text))")
        }
        return seed
    }

    /// "an integer from 0 to 9007199254740991 (2^53 - 1)".
    public static let seedRange = "an integer from 0 to \(VMSettings.maximumSeed) (2^53 - 1)"

    /// `seconds` in nanoseconds, never trapping: NaN and negative spans are zero, spans beyond
    /// what an `Int64` holds (292 years) are the longest one.
    public static func nanoseconds(seconds: Double) -> Int64 {
        guard seconds > 0 else { return 0 }
        let nanoseconds = (seconds * 1e9).rounded()
        // Double(Int64.max) is 2^63, one above Int64.max, so the comparison must be strict.
        return nanoseconds < Double(Int64.max) ? Int64(nanoseconds) : .max
    }
}
