import Foundation
import Testing

@testable import Analysis
@testable import EventLog
@testable import LamportCore

/// A fresh folder under the system's temporary folder, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("vmservice-test-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the folder.
    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// A new sub-folder.
    func folder(_ name: String) throws -> String {
        let sub = file(name)
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        return sub
    }
}

/// The logs of a run folder as text lines, one array per VM, editable and writable elsewhere.
struct RunLogs {
    /// VM id -> its lines, without newlines, in file order.
    var lines: [Int: [String]]

    var vmIDs: [Int] { lines.keys.sorted() }

    static func read(_ directory: String) throws -> RunLogs {
        var lines: [Int: [String]] = [:]
        for path in try LogMerger.logFiles(inDirectory: directory) {
            let id = Int(path.split(separator: "/").last!.dropFirst(2).dropLast(6))!
            lines[id] = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        return RunLogs(lines: lines)
    }

    /// Writes `vm<ID>.jsonl` files into `directory` (created if missing).
    func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (id, vmLines) in lines {
            try (vmLines.joined(separator: "\n") + "\n").write(
                toFile: "\(directory)/vm\(id).jsonl", atomically: true, encoding: .utf8)
        }
    }

    /// The parsed records of VM `vm`, in file order.
    func records(_ vm: Int) throws -> [LogRecord] {
        let parser = LogLineParser()
        return try (lines[vm] ?? []).map { try parser.parse($0) }
    }

    /// Every record of every VM.
    func allRecords() throws -> [LogRecord] {
        try vmIDs.flatMap { try records($0) }
    }
}

/// Log-line editing for broken-log tests: replaces the value of one key of a flat JSON line.
enum LineEdit {
    /// `line` with the value of `key` replaced by `value` (raw JSON text); the key must be present.
    static func set(_ key: String, to value: String, in line: String) throws -> String {
        let pattern = try Regex<AnyRegexOutput>(#""\#(key)":(-?[0-9.]+|"[^"]*"|true|false|\[[^\]]*\])"#)
        guard line.contains(pattern) else { throw EditError(description: "no key \(key) in \(line)") }
        return line.replacing(pattern, with: "\"\(key)\":\(value)", maxReplacements: 1)
    }

    /// The time stamp text of `microseconds` since the epoch, as the logs write it (with quotes).
    static func timeText(_ microseconds: Int64) -> String {
        var formatter = RFC3339Formatter()
        return "\"" + formatter.string(WallTime(microseconds: microseconds)) + "\""
    }

    struct EditError: Error, CustomStringConvertible {
        var description: String
    }
}

/// The check names `RunAnalyzer` reports, in order.
let allCheckNames = [
    "seq_without_gaps", "lamport_rules", "receive_matches_send", "clock_condition", "messages_accounted",
    "tick_rate_within_1_percent",
]

/// Records one issue per check whose outcome differs from the expectation: the checks named in
/// `failing` must fail and every other check must pass.
func expectChecks(
    _ checks: [CheckResult], failing: Set<String>, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(checks.map(\.name) == allCheckNames, sourceLocation: sourceLocation)
    for check in checks {
        if failing.contains(check.name) {
            #expect(!check.passed, "\(check.name) should fail", sourceLocation: sourceLocation)
        } else {
            #expect(
                check.passed, "\(check.name) should pass: \(check.examples.joined(separator: "; "))",
                sourceLocation: sourceLocation)
        }
    }
}

/// Vector clocks built independently of `VectorClockTracker`: each VM's tick events are replayed
/// in seq order, a receive only once its send has been replayed (causal order, not time order).
struct BruteForceCausality {
    struct Event {
        var vm: Int
        var seq: Int
        var clock: Int
        /// Entry j counts the tick events of VM j + 1 that happened before this one, or are it.
        var vector: [Int]
    }

    var events: [Event] = []

    /// - Parameter records: every line of the run (all VMs; order does not matter).
    init(records: [LogRecord]) throws {
        let ids = Set(records.map(\.vm)).sorted()
        let count = ids.max() ?? 0
        var queues: [Int: [LogRecord]] = [:]
        for id in ids {
            queues[id] = records.filter { $0.vm == id && $0.kind?.isTickEvent == true }.sorted { $0.seq < $1.seq }
        }
        var positions = Dictionary(uniqueKeysWithValues: ids.map { ($0, 0) })
        var current = Dictionary(uniqueKeysWithValues: ids.map { ($0, [Int](repeating: 0, count: count)) })
        var sendVectors: [[Int]: [Int]] = [:]
        var progressed = true
        while progressed {
            progressed = false
            for id in ids {
                while let record = queues[id]![safe: positions[id]!] {
                    var vector = current[id]!
                    if record.kind == .receive {
                        guard let from = record.from, let sendSeq = record.sendSeq,
                            let sent = sendVectors[[from, sendSeq]]
                        else { break }
                        vector = zip(vector, sent).map { max($0, $1) }
                    }
                    vector[id - 1] += 1
                    current[id] = vector
                    if record.kind == .send { sendVectors[[id, record.seq]] = vector }
                    events.append(Event(vm: id, seq: record.seq, clock: record.clock, vector: vector))
                    positions[id]! += 1
                    progressed = true
                }
            }
        }
        let stuck = ids.filter { positions[$0]! < queues[$0]!.count }
        if !stuck.isEmpty { throw LineEdit.EditError(description: "receives without their send on VMs \(stuck)") }
    }

    /// Whether `a` happened before `b` (a != b).
    static func happenedBefore(_ a: Event, _ b: Event) -> Bool {
        a.vector != b.vector && zip(a.vector, b.vector).allSatisfy { $0 <= $1 }
    }

    /// Every unordered pair classified: (causal, concurrent, Lamport-ordered, ordered-but-concurrent, tied).
    func pairCounts() -> (causal: Int, concurrent: Int, lamportOrdered: Int, orderedButConcurrent: Int, tied: Int) {
        var result = (causal: 0, concurrent: 0, lamportOrdered: 0, orderedButConcurrent: 0, tied: 0)
        for i in events.indices {
            for j in (i + 1)..<events.count {
                let a = events[i]
                let b = events[j]
                let causal = Self.happenedBefore(a, b) || Self.happenedBefore(b, a)
                if causal { result.causal += 1 } else { result.concurrent += 1 }
                if a.clock == b.clock {
                    result.tied += 1
                } else {
                    result.lamportOrdered += 1
                    if !causal { result.orderedButConcurrent += 1 }
                }
            }
        }
        return result
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// A tiny run written by hand: 3 VMs at 1 tick/s, 13 tick events with sends (to one peer and to
/// all) and receives, lifecycle lines around them. Its vector clocks are worked out in the tests.
enum HandMadeRun {
    /// 2026-01-01T00:00:00Z in microseconds.
    static let origin: Int64 = 1_767_225_600_000_000

    /// One line; `at` is seconds after `origin`, `rest` the extra keys (raw JSON, leading comma).
    static func line(
        _ seq: Int, _ vm: Int, _ type: String, clock: Int, at seconds: Double, queue: Int = 0, _ rest: String = ""
    )
        -> String
    {
        let time = LineEdit.timeText(origin + Int64((seconds * 1_000_000).rounded()))
        return
            #"{"seq":\#(seq),"vm":\#(vm),"type":"\#(type)","clock":\#(clock),"time":\#(time),"queue":\#(queue)\#(rest)}"#
    }

    static func start(_ vm: Int) -> String {
        line(1, vm, "start", clock: 0, at: 0, #","tick_rate":1,"max_action":10,"seed":1"#)
    }

    static func stop(_ seq: Int, _ vm: Int, clock: Int) -> String {
        line(seq, vm, "stop", clock: clock, at: 5.5, #","reason":"signal""#)
    }

    static func receive(from: Int, sendSeq: Int, msgClock: Int) -> String {
        #","from":\#(from),"send_seq":\#(sendSeq),"msg_clock":\#(msgClock)"#
    }

    static var logs: RunLogs {
        RunLogs(lines: [
            1: [
                start(1),
                line(2, 1, "send", clock: 1, at: 1.0, #","to":[2]"#),
                line(3, 1, "receive", clock: 2, at: 2.0, receive(from: 3, sendSeq: 2, msgClock: 1)),
                line(4, 1, "send", clock: 3, at: 3.0, #","to":[3]"#),
                line(5, 1, "internal", clock: 4, at: 4.0),
                line(6, 1, "receive", clock: 5, at: 5.0, receive(from: 2, sendSeq: 5, msgClock: 4)),
                stop(7, 1, clock: 5),
            ],
            2: [
                start(2),
                line(2, 2, "internal", clock: 1, at: 1.1),
                line(3, 2, "receive", clock: 2, at: 2.1, queue: 1, receive(from: 1, sendSeq: 2, msgClock: 1)),
                line(4, 2, "receive", clock: 3, at: 3.1, receive(from: 3, sendSeq: 2, msgClock: 1)),
                line(5, 2, "send", clock: 4, at: 4.1, #","to":[1]"#),
                stop(6, 2, clock: 4),
            ],
            3: [
                start(3),
                line(2, 3, "send", clock: 1, at: 1.2, #","to":[1,2]"#),
                line(3, 3, "internal", clock: 2, at: 2.2),
                line(4, 3, "internal", clock: 3, at: 3.2),
                line(5, 3, "receive", clock: 4, at: 4.2, receive(from: 1, sendSeq: 4, msgClock: 3)),
                stop(6, 3, clock: 4),
            ],
        ])
    }

    /// The vector clock of each tick event in time order, as (host, entries vm1, vm2, vm3).
    static let vectors: [(vm: Int, vector: [Int])] = [
        (1, [1, 0, 0]), (2, [0, 1, 0]), (3, [0, 0, 1]),
        (1, [2, 0, 1]), (2, [1, 2, 0]), (3, [0, 0, 2]),
        (1, [3, 0, 1]), (2, [1, 3, 1]), (3, [0, 0, 3]),
        (1, [4, 0, 1]), (2, [1, 4, 1]), (3, [3, 0, 4]),
        (1, [5, 4, 1]),
    ]
}
