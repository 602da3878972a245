import LamportCore

/// Recognises the format's names (`LogKey`, `EventKind`) in the raw bytes of a line, without
/// making a `String`: the analysis reads millions of lines.
enum LogVocabularyBytes {
    /// The keys by the byte length of their name.
    private static let keysByLength: [[(name: [UInt8], key: LogKey)]] = table(
        LogKey.allCases.map(\.rawValue), LogKey.allCases)
    /// The kinds by the byte length of their name.
    private static let kindsByLength: [[(name: [UInt8], key: EventKind)]] = table(
        EventKind.allCases.map(\.rawValue), EventKind.allCases)

    /// The key named by `bytes`, or nil for a key outside the format's list.
    static func key(_ bytes: UnsafeRawBufferPointer) -> LogKey? {
        match(bytes, in: keysByLength)
    }

    /// The kind named by `bytes` (a `type` value), or nil.
    static func kind(_ bytes: UnsafeRawBufferPointer) -> EventKind? {
        match(bytes, in: kindsByLength)
    }

    private static func match<Value>(
        _ bytes: UnsafeRawBufferPointer, in table: [[(name: [UInt8], key: Value)]]
    )
        -> Value?
    {
        guard bytes.count < table.count else { return nil }
        for entry in table[bytes.count] where entry.name.elementsEqual(bytes) {
            return entry.key
        }
        return nil
    }

    private static func table<Value>(_ names: [String], _ values: [Value]) -> [[(name: [UInt8], key: Value)]] {
        let longest = names.map(\.utf8.count).max() ?? 0
        var table = [[(name: [UInt8], key: Value)]](repeating: [], count: longest + 1)
        for (name, value) in zip(names, values) {
            table[name.utf8.count].append((Array(name.utf8), value))
        }
        return table
    }
}

extension EventKind {
    /// The kind named by these bytes (the `type` value of a log line), or nil.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard let kind = LogVocabularyBytes.kind(bytes) else { return nil }
        self = kind
    }
}
