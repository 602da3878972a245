/// Parses the event log's time stamps, `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, to microseconds since
/// the Unix epoch, without Foundation's date machinery (it is on the analysis hot path).
public enum RFC3339Parser {
    /// Microseconds since the Unix epoch of `text`, or nil if it is not of the form
    /// `YYYY-MM-DDTHH:MM:SS[.f...]Z`: UTC only (`Z`, no offset), up to 9 fraction digits of which
    /// those past the microsecond are dropped (truncated, not rounded), a second of 60 (a leap
    /// second) allowed. Fields are range-checked but a day is not checked against its month, so
    /// February 30 reads as March 1 or 2.
    public static func microseconds(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard text.count >= 20, text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
            text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: "t"), text[13] == UInt8(ascii: ":"),
            text[16] == UInt8(ascii: ":"), text[text.count - 1] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let digit = Int64(text[index]) - 48
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros: Int64 = 0
        if text.count > 20 {
            guard text[19] == UInt8(ascii: "."), text.count - 21 <= 9 else { return nil }
            var scale: Int64 = 100_000
            for index in 20..<(text.count - 1) {
                let digit = Int64(text[index]) - 48
                guard digit >= 0 && digit <= 9 else { return nil }
                micros += digit * scale
                scale /= 10
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + micros
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil-date algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
