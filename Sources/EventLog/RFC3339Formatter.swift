import LamportCore

/// Formats wall-clock times as RFC 3339 UTC with microseconds, `2026-11-26T15:34:43.123456Z`.
///
/// The date part is computed once per day and reused, and the time of day is written digit by
/// digit without allocating, because the event log stamps every line and this sits on the hot
/// path (each of the simulator's thousands of logs moves to a new second on most lines). The
/// date is computed here (proleptic Gregorian, as `gmtime_r` does, without leap seconds), so no
/// C library call is involved.
public struct RFC3339Formatter: Sendable {
    private var cachedDay: Int64 = .min
    /// `YYYY-MM-DDT` of `cachedDay`.
    private var cachedPrefix: [UInt8] = []

    public init() {}

    /// Appends the formatted time to `buffer`, without quotes.
    public mutating func append(_ time: WallTime, to buffer: inout [UInt8]) {
        let second = time.microseconds >= 0 ? time.microseconds / 1_000_000 : (time.microseconds - 999_999) / 1_000_000
        let micros = Int(time.microseconds - second * 1_000_000)
        let day = second >= 0 ? second / 86_400 : (second - 86_399) / 86_400
        if day != cachedDay {
            cachedDay = day
            cachedPrefix = Self.datePrefix(day)
        }
        buffer.append(contentsOf: cachedPrefix)
        let secondOfDay = Int(second - day * 86_400)
        Self.appendTwoDigits(secondOfDay / 3600, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(secondOfDay / 60 % 60, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        Self.appendTwoDigits(secondOfDay % 60, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        var divisor = 100_000
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(micros / divisor % 10))
            divisor /= 10
        }
        buffer.append(UInt8(ascii: "Z"))
    }

    @inline(__always)
    private static func appendTwoDigits(_ value: Int, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "0") + UInt8(value / 10))
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The formatted time as a string.
    public mutating func string(_ time: WallTime) -> String {
        var bytes: [UInt8] = []
        append(time, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DDT` of the day `days` after 1970-01-01.
    private static func datePrefix(_ days: Int64) -> [UInt8] {
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
