import LamportCore
import Testing

@testable import EventLog

@Suite struct LogVocabularyBytesTests {
    @Test("every key of the format is recognised from its own name", arguments: LogKey.allCases)
    func everyKey(key: LogKey) {
        Array(key.rawValue.utf8).withUnsafeBytes { #expect(LogVocabularyBytes.key($0) == key) }
        #expect(LogVocabularyBytes.name(of: key).description == key.rawValue)
    }

    @Test("every line type is recognised from its own name", arguments: EventKind.allCases)
    func everyKind(kind: EventKind) {
        Array(kind.rawValue.utf8).withUnsafeBytes { #expect(EventKind(bytes: $0) == kind) }
    }

    @Test("names outside the format, near misses included, are not recognised")
    func strangers() {
        for text in [
            "", "x", "sex", "tipe", "peers_", "clocks", "send_sek", "tick_rat", "max_actio", "SEQ", "Seq", "sent",
            "hell", "faults", "lose", "im", "ns", "duplicat", "jitter_mz", "duration_z",
        ] {
            Array(text.utf8).withUnsafeBytes {
                #expect(LogVocabularyBytes.key($0) == nil, "\(text)")
                #expect(EventKind(bytes: $0) == nil, "\(text)")
            }
        }
    }
}
