import LamportCore

/// Recognises the format's names (`LogKey`, `EventKind`) in the raw bytes of a line, without
/// making a `String` and without reference counting: the analysis reads millions of lines and
/// every key of every line passes through here.
///
/// The switches pick the one name a text of that length and first byte can be and compare the
/// bytes with it. The names are those of `LogKey` and `EventKind`, spelt here once more as static
/// text for speed; `LogVocabularyBytesTests` checks every key and kind against its raw value, so
/// the two cannot drift apart.
enum LogVocabularyBytes {
    /// The key named by `bytes`, or nil for a key outside the format's list.
    @inline(__always)
    static func key(_ bytes: UnsafeRawBufferPointer) -> LogKey? {
        guard let first = bytes.first else { return nil }
        let candidate: LogKey? =
            switch (bytes.count, first) {
            case (2, UInt8(ascii: "v")): .vm
            case (2, UInt8(ascii: "t")): .to
            case (2, UInt8(ascii: "i")): .id
            case (2, UInt8(ascii: "m")): .ms
            case (3, _): .seq
            case (4, UInt8(ascii: "t")): bytes[1] == UInt8(ascii: "y") ? .type : .time
            case (4, UInt8(ascii: "f")): .from
            case (4, UInt8(ascii: "p")): bytes[1] == UInt8(ascii: "e") ? .peer : .port
            case (4, UInt8(ascii: "s")): .seed
            case (4, UInt8(ascii: "l")): .lost
            case (4, UInt8(ascii: "k")): .kind
            case (5, UInt8(ascii: "c")): .clock
            case (5, UInt8(ascii: "q")): .queue
            case (5, UInt8(ascii: "p")): .peers
            case (6, UInt8(ascii: "r")): .reason
            case (6, UInt8(ascii: "p")): .paused
            case (7, UInt8(ascii: "d")): .dropped
            case (7, UInt8(ascii: "a")): .address
            case (8, UInt8(ascii: "s")): .sendSeq
            case (8, UInt8(ascii: "t")): .topology
            case (9, UInt8(ascii: "m")): .msgClock
            case (9, UInt8(ascii: "d")): .duplicate
            case (9, UInt8(ascii: "j")): .jitterMs
            case (9, UInt8(ascii: "t")):
                bytes[1] == UInt8(ascii: "i") ? .tickRate : .totalVMs
            case (10, UInt8(ascii: "m")): .maxAction
            case (10, UInt8(ascii: "d")): .durationS
            case (11, _): .probability
            case (12, _): .distribution
            case (17, _): .resumedAfterSeq
            default: nil
            }
        guard let candidate, spells(name(of: candidate), bytes) else { return nil }
        return candidate
    }

    /// The kind named by `bytes` (a `type` value), or nil.
    @inline(__always)
    static func kind(_ bytes: UnsafeRawBufferPointer) -> EventKind? {
        let candidate: (EventKind, StaticString)? =
            switch bytes.count {
            case 4:
                switch bytes[0] {
                case UInt8(ascii: "h"): (.heal, "heal")
                case UInt8(ascii: "d"): (.drop, "drop")
                default: bytes[1] == UInt8(ascii: "e") ? (.send, "send") : (.stop, "stop")
                }
            case 5: bytes[0] == UInt8(ascii: "f") ? (.fault, "fault") : (.start, "start")
            case 6: (.config, "config")
            case 7: bytes[0] == UInt8(ascii: "p") ? (.peerUp, "peer_up") : (.receive, "receive")
            case 8: (.internalEvent, "internal")
            case 9: (.peerDown, "peer_down")
            case 11: (.unprocessed, "unprocessed")
            default: nil
            }
        guard let (kind, name) = candidate, spells(name, bytes) else { return nil }
        return kind
    }

    /// The text of `key`: its raw value as static text, which needs no reference counting.
    @inline(__always)
    static func name(of key: LogKey) -> StaticString {
        switch key {
        case .seq: "seq"
        case .vm: "vm"
        case .type: "type"
        case .clock: "clock"
        case .time: "time"
        case .queue: "queue"
        case .to: "to"
        case .dropped: "dropped"
        case .from: "from"
        case .sendSeq: "send_seq"
        case .msgClock: "msg_clock"
        case .peer: "peer"
        case .reason: "reason"
        case .address: "address"
        case .seed: "seed"
        case .port: "port"
        case .peers: "peers"
        case .tickRate: "tick_rate"
        case .maxAction: "max_action"
        case .paused: "paused"
        case .totalVMs: "total_vms"
        case .resumedAfterSeq: "resumed_after_seq"
        case .topology: "topology"
        case .lost: "lost"
        case .duplicate: "duplicate"
        case .id: "id"
        case .kind: "kind"
        case .ms: "ms"
        case .jitterMs: "jitter_ms"
        case .distribution: "distribution"
        case .probability: "probability"
        case .durationS: "duration_s"
        }
    }

    /// Whether `bytes` are exactly the text of `name`.
    @inline(__always)
    private static func spells(_ name: StaticString, _ bytes: UnsafeRawBufferPointer) -> Bool {
        name.utf8CodeUnitCount == bytes.count && memoryEqual(name.utf8Start, bytes.baseAddress!, bytes.count)
    }
}

/// Whether `count` bytes at `a` and `b` are equal (a byte loop; the names are at most 17 bytes).
@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var index = 0
    while index < count {
        if a[index] != b.load(fromByteOffset: index, as: UInt8.self) { return false }
        index += 1
    }
    return true
}

extension EventKind {
    /// The kind named by these bytes (the `type` value of a log line), or nil.
    public init?(bytes: UnsafeRawBufferPointer) {
        guard let kind = LogVocabularyBytes.kind(bytes) else { return nil }
        self = kind
    }
}
