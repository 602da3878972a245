import LamportCore

/// Formats wall-clock times as RFC 3339 UTC with microseconds, `2026-11-26T15:34:43.123456Z`.
///
/// The calendar part is computed once per second and reused, because the event log stamps
/// every line and this sits on the hot path. The date is computed here (proleptic Gregorian, as
/// `gmtime_r` does, without leap seconds), so no C library call is involved.
public struct RFC3339Formatter: Sendable {
    private var cachedSecond: Int64 = .min
    private var cachedPrefix: [UInt8] = []

    public init() {}

    /// Appends the formatted time to `buffer`, without quotes.
    public mutating func append(_ time: WallTime, to buffer: inout [UInt8]) {
        let second = time.microseconds >= 0 ? time.microseconds / 1_000_000 : (time.microseconds - 999_999) / 1_000_000
        let micros = Int(time.microseconds - second * 1_000_000)
        if second != cachedSecond {
            cachedSecond = second
            cachedPrefix = Self.calendarPrefix(second)
        }
        buffer.append(contentsOf: cachedPrefix)
        buffer.append(UInt8(ascii: "."))
        var divisor = 100_000
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(micros / divisor % 10))
            divisor /= 10
        }
        buffer.append(UInt8(ascii: "Z"))
    }

    /// The formatted time as a string.
    public mutating func string(_ time: WallTime) -> String {
        var bytes: [UInt8] = []
        append(time, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func calendarPrefix(_ second: Int64) -> [UInt8] {
        let days = second >= 0 ? second / 86_400 : (second - 86_399) / 86_400
        let secondOfDay = second - days * 86_400
        let date = civilDate(daysSinceEpoch: days)
        var out: [UInt8] = []
        func digits(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(date.year, 4)
        out.append(UInt8(ascii: "-"))
        digits(date.month, 2)
        out.append(UInt8(ascii: "-"))
        digits(date.day, 2)
        out.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        out.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        return out
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's civil-date algorithm,
    /// the inverse of `RFC3339Parser.daysFromCivil`).
    static func civilDate(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
