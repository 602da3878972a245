import Testing

@testable import EventLog
@testable import LamportCore

@Suite struct RFC3339FormatterTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (1, "1970-01-01T00:00:00.000001Z"),
        (999_999, "1970-01-01T00:00:00.999999Z"),
        (1_000_000, "1970-01-01T00:00:01.000000Z"),
        (946_684_799_500_000, "1999-12-31T23:59:59.500000Z"),
        (1_709_251_199_000_042, "2024-02-29T23:59:59.000042Z"),
        (1_767_225_600_000_000, "2026-01-01T00:00:00.000000Z"),
        (1_780_000_000_123_456, "2026-05-28T20:26:40.123456Z"),
        (2_147_483_648_000_001, "2038-01-19T03:14:08.000001Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
        (-1_000_000, "1969-12-31T23:59:59.000000Z"),
    ])
    func knownValues(microseconds: Int64, expected: String) {
        var formatter = RFC3339Formatter()
        #expect(formatter.string(WallTime(microseconds: microseconds)) == expected)
    }

    @Test func consecutiveCallsAcrossASecondBoundary() {
        var formatter = RFC3339Formatter()
        let base: Int64 = 1_780_000_000_000_000
        #expect(formatter.string(WallTime(microseconds: base - 2)) == "2026-05-28T20:26:39.999998Z")
        #expect(formatter.string(WallTime(microseconds: base - 1)) == "2026-05-28T20:26:39.999999Z")
        #expect(formatter.string(WallTime(microseconds: base)) == "2026-05-28T20:26:40.000000Z")
        #expect(formatter.string(WallTime(microseconds: base + 1)) == "2026-05-28T20:26:40.000001Z")
        // Going back (a wall clock may step backwards) must not reuse the newer second.
        #expect(formatter.string(WallTime(microseconds: base - 1)) == "2026-05-28T20:26:39.999999Z")
        // A jump of a whole day.
        #expect(formatter.string(WallTime(microseconds: base + 86_400_000_000)) == "2026-05-29T20:26:40.000000Z")
    }

    @Test func midnightAndYearRollover() {
        var formatter = RFC3339Formatter()
        let newYear: Int64 = 1_767_225_600_000_000
        #expect(formatter.string(WallTime(microseconds: newYear - 1)) == "2025-12-31T23:59:59.999999Z")
        #expect(formatter.string(WallTime(microseconds: newYear)) == "2026-01-01T00:00:00.000000Z")
    }

    @Test func appendAddsToTheBufferWithoutQuotes() {
        var formatter = RFC3339Formatter()
        var buffer = Array("at ".utf8)
        formatter.append(WallTime(microseconds: 0), to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "at 1970-01-01T00:00:00.000000Z")
    }

    @Test func nowIsFormattedWithMicroseconds() {
        var formatter = RFC3339Formatter()
        let text = formatter.string(.now())
        #expect(text.count == 27)
        #expect(text.hasSuffix("Z"))
        #expect(text.dropFirst(10).first == "T")
        #expect(text.dropFirst(19).first == ".")
    }

    @Test("the civil date is the inverse of the parser's day count, from year 0 to 9999")
    func civilDateRoundTrip() {
        let first = RFC3339Parser.daysFromCivil(year: 0, month: 1, day: 1)
        let last = RFC3339Parser.daysFromCivil(year: 9999, month: 12, day: 31)
        var mismatches = 0
        for days in first...last {
            let date = RFC3339Formatter.civilDate(daysSinceEpoch: days)
            if RFC3339Parser.daysFromCivil(year: date.year, month: date.month, day: date.day) != days
                || !(1...12).contains(date.month) || !(1...31).contains(date.day)
            {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(RFC3339Formatter.civilDate(daysSinceEpoch: 0) == (1970, 1, 1))
        #expect(RFC3339Formatter.civilDate(daysSinceEpoch: -1) == (1969, 12, 31))
        #expect(RFC3339Formatter.civilDate(daysSinceEpoch: 11_016) == (2000, 2, 29))
    }
}
