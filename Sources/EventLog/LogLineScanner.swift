/// Reads single integer fields out of event-log lines without a full JSON parse.
///
/// Only for lines this project wrote (docs/log-format.md): keys are plain and integers unquoted.
public enum LogLineScanner {
    /// The integer value of `"key":` in `line`, or nil when absent or not an integer.
    public static func int<Bytes: Collection<UInt8>>(_ key: String, in line: Bytes) -> Int? {
        let pattern = Array("\"\(key)\":".utf8)
        let bytes = Array(line)
        guard bytes.count >= pattern.count else { return nil }
        var index = 0
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0] && Array(bytes[index..<index + pattern.count]) == pattern {
                var cursor = index + pattern.count
                var negative = false
                if cursor < bytes.count && bytes[cursor] == UInt8(ascii: "-") {
                    negative = true
                    cursor += 1
                }
                var value = 0
                var sawDigit = false
                while cursor < bytes.count, bytes[cursor] >= 48, bytes[cursor] <= 57 {
                    value = value * 10 + Int(bytes[cursor] - 48)
                    sawDigit = true
                    cursor += 1
                }
                return sawDigit ? (negative ? -value : value) : nil
            }
            index += 1
        }
        return nil
    }
}
