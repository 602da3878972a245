import LamportCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Formats wall-clock times as RFC 3339 UTC with microseconds, `2026-11-26T15:34:43.123456Z`.
///
/// The calendar part is computed once per second and reused, because the event log stamps
/// every line and this sits on the hot path.
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
        var t = time_t(second)
        var parts = tm()
        gmtime_r(&t, &parts)
        var out: [UInt8] = []
        func digits(_ value: Int32, _ width: Int) {
            var divisor: Int32 = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        digits(parts.tm_year + 1900, 4)
        out.append(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        out.append(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        out.append(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        out.append(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        out.append(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        return out
    }
}
