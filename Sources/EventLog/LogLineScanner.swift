import LamportCore

/// Reads single fields out of event-log lines without a full parse: for readers that need one or
/// two values of many lines (the `GET /log` pager, the concurrency count of the analysis).
///
/// Only for lines this project wrote (docs/log-format.md): keys are plain, integers unquoted, and
/// a key's first occurrence is the field (values never contain `"key":`, since strings escape `"`).
public enum LogLineScanner {
    /// The integer value of `key` in `line`, or nil when absent or not an integer.
    public static func int(_ key: LogKey, in line: UnsafeRawBufferPointer) -> Int? {
        guard var cursor = valueStart(of: key, in: line) else { return nil }
        var negative = false
        if cursor < line.count && line[cursor] == UInt8(ascii: "-") {
            negative = true
            cursor += 1
        }
        var value = 0
        var sawDigit = false
        while cursor < line.count, line[cursor] >= UInt8(ascii: "0"), line[cursor] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int(line[cursor] &- UInt8(ascii: "0"))
            sawDigit = true
            cursor += 1
        }
        guard sawDigit else { return nil }
        return negative ? -value : value
    }

    /// The integer value of `key` in `line`, or nil when absent or not an integer.
    public static func int<Bytes: Collection<UInt8>>(_ key: LogKey, in line: Bytes) -> Int? {
        if let found = line.withContiguousStorageIfAvailable({ int(key, in: UnsafeRawBufferPointer($0)) }) {
            return found
        }
        return Array(line).withUnsafeBytes { int(key, in: $0) }
    }

    /// The line's `type`, or nil when absent or not a kind of the format.
    public static func kind(in line: UnsafeRawBufferPointer) -> EventKind? {
        guard let start = valueStart(of: .type, in: line), start < line.count, line[start] == UInt8(ascii: "\"")
        else { return nil }
        var end = start + 1
        while end < line.count && line[end] != UInt8(ascii: "\"") { end += 1 }
        return EventKind(bytes: UnsafeRawBufferPointer(rebasing: line[(start + 1)..<end]))
    }

    /// The index just after the first `"key":` in `line`.
    @inline(__always)
    private static func valueStart(of key: LogKey, in line: UnsafeRawBufferPointer) -> Int? {
        let name = LogVocabularyBytes.name(of: key)
        let count = name.utf8CodeUnitCount
        let length = count + 3
        guard let lineStart = line.baseAddress else { return nil }
        let first = name.utf8Start.pointee
        var index = 0
        while index + length <= line.count {
            if line[index] == UInt8(ascii: "\""), line[index + 1] == first,
                line[index + count + 1] == UInt8(ascii: "\""),
                line[index + count + 2] == UInt8(ascii: ":"), memoryEqual(name.utf8Start, lineStart + index + 1, count)
            {
                return index + length
            }
            index += 1
        }
        return nil
    }
}
