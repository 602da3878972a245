import EventLog
import Foundation
import LamportCore

/// `summary.json`: the numbers of a run's analysis, for scripts (keys in snake_case).
struct SummaryDocument: Encodable {
    struct Run: Encodable {
        var directory: String
        var vms: [Int]
        var start: String
        var end: String
        var durationS: Double
        var lines: Int
    }

    struct VM: Encodable {
        struct Events: Encodable {
            var `internal`: Int
            var send: Int
            var receive: Int
        }
        struct Jumps: Encodable {
            var count: Int
            var mean: Double
            var max: Int
            var p50: Int
            var p90: Int
            var p99: Int
        }
        struct Queue: Encodable {
            var max: Int
            var mean: Double
        }
        /// The copies this VM's `send` lines addressed, with the run's key names.
        struct Outgoing: Encodable {
            var copiesAddressed: Int
            /// Addressed and not dropped (those its loss faults destroyed included).
            var copiesSent: Int
            var copiesDropped: Int
            var copiesLostToFault: Int
        }
        /// The copies this VM logged as their recipient, with the run's key names: originals in
        /// the first two, extra copies of a duplicate fault only in `duplicateCopies`.
        struct Incoming: Encodable {
            var copiesReceived: Int
            var copiesUnprocessedAtStop: Int
            var duplicateCopies: Int
        }
        var vm: Int
        var configuredTickRate: Double?
        var measuredTickRate: Double?
        var events: Events
        var jumps: Jumps
        var queue: Queue
        var outgoing: Outgoing
        var incoming: Incoming
        var finalClock: Int
        var stopReason: String?
    }

    struct Check: Encodable {
        var name: String
        var summary: String
        var passed: Bool
        var checked: Int
        var failed: Int
        var examples: [String]
    }

    struct Phase: Encodable {
        var vm: Int
        var configuredTickRate: Double?
        var measuredTickRate: Double?
        var ticks: Int
    }

    /// One directed link's accounting: `from`, `to` and the keys of `MessageAccounting`.
    struct Link: Encodable {
        var link: LinkAccounting.Link

        private enum CodingKeys: String, CodingKey {
            case from, to
        }

        func encode(to encoder: any Encoder) throws {
            try link.messages.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(link.from, forKey: .from)
            try container.encode(link.to, forKey: .to)
        }
    }

    /// One fault: its VM, id, kind, parameters and when it was active (seconds since the run's start).
    struct Fault: Encodable {
        var vm: Int
        var id: Int
        var kind: String
        var peers: [Int]?
        var ms: Int?
        var jitterMs: Int?
        var distribution: String?
        var probability: Double?
        var durationS: Double?
        var startS: Double
        var endS: Double
        /// `removed`, `healed`, `expired`, `stopped` (its heal line's reason), `crashed` or `log_ended`.
        var ended: String

        init(_ fault: FaultInterval, runStart: Int64) {
            (vm, id, kind, peers) = (fault.vm, fault.id, fault.kind, fault.peers)
            (ms, jitterMs, distribution) = (fault.fields.ms, fault.fields.jitterMs, fault.fields.distribution)
            (probability, durationS) = (fault.fields.probability, fault.fields.durationS)
            startS = (Double(fault.start - runStart) / 1000).rounded() / 1000
            endS = (Double(fault.end - runStart) / 1000).rounded() / 1000
            switch fault.ending {
            case .healed(let reason): ended = reason
            case .crashed: ended = "crashed"
            case .logEnded: ended = "log_ended"
            }
        }
    }

    struct Drift: Encodable {
        var largest: Int
        var mean: Double
    }

    /// Receives stamped before their sends, which the analysis ordered after them.
    struct StampSkewCorrected: Encodable {
        var receivesBeforeSend: Int
        var largestUs: Int64
        /// The message with the largest amount (absent when there is none).
        var largest: Message?

        struct Message: Encodable {
            var from: Int
            var sendSeq: Int
            var to: Int
        }

        init(_ skew: StampSkew) {
            receivesBeforeSend = skew.receivesBeforeSend
            largestUs = skew.largestMicroseconds
            largest =
                skew.receivesBeforeSend > 0
                ? Message(from: skew.largestFrom, sendSeq: skew.largestSendSeq, to: skew.largestTo) : nil
        }
    }

    var run: Run
    var passed: Bool
    var vms: [VM]
    var checks: [Check]
    var messages: MessageAccounting
    var links: [Link]
    var faults: [Fault]
    var crashedVms: [Int]
    var stampSkewCorrected: StampSkewCorrected
    var cutShortLines: [CutShortLine]
    var phases: [Phase]
    var drift: Drift
    var concurrency: ConcurrencyStats
    var plots: [String]

    init(_ analysis: RunAnalysis, plots: [String]) {
        var formatter = RFC3339Formatter()
        run = Run(
            directory: analysis.directory, vms: analysis.vmIDs,
            start: formatter.string(WallTime(microseconds: analysis.start)),
            end: formatter.string(WallTime(microseconds: analysis.end)), durationS: analysis.durationSeconds,
            lines: analysis.lines)
        passed = analysis.passed
        vms = analysis.summaries.map { summary in
            VM(
                vm: summary.vm, configuredTickRate: summary.configuredTickRate,
                measuredTickRate: summary.measuredTickRate.map { ($0 * 1000).rounded() / 1000 },
                events: .init(
                    internal: summary.internalEvents, send: summary.sendEvents, receive: summary.receiveEvents),
                jumps: .init(
                    count: summary.jumps.jumps, mean: (summary.jumps.mean * 1000).rounded() / 1000,
                    max: summary.jumps.largest, p50: summary.jumps.percentile(0.5), p90: summary.jumps.percentile(0.9),
                    p99: summary.jumps.percentile(0.99)),
                queue: .init(max: summary.maxQueue, mean: (summary.meanQueue * 1000).rounded() / 1000),
                outgoing: .init(
                    copiesAddressed: summary.copiesAddressed, copiesSent: summary.messagesSent,
                    copiesDropped: summary.messagesDropped, copiesLostToFault: summary.messagesLost),
                incoming: .init(
                    copiesReceived: summary.copiesReceived, copiesUnprocessedAtStop: summary.copiesUnprocessedAtStop,
                    duplicateCopies: summary.duplicatesReceived),
                finalClock: summary.finalClock, stopReason: summary.stopReason)
        }
        checks = analysis.checks.map {
            Check(
                name: $0.name, summary: $0.summary, passed: $0.passed, checked: $0.checked, failed: $0.failed,
                examples: $0.examples)
        }
        messages = analysis.accounting
        links = analysis.links.map { Link(link: $0) }
        faults = analysis.faults.map { Fault($0, runStart: analysis.start) }
        crashedVms = analysis.crashedVMs
        stampSkewCorrected = StampSkewCorrected(analysis.stampSkew)
        cutShortLines = analysis.cutShortLines
        phases = analysis.phases.map {
            Phase(
                vm: $0.vm, configuredTickRate: $0.configuredRate,
                measuredTickRate: $0.measuredRate.map { ($0 * 1000).rounded() / 1000 }, ticks: $0.ticks)
        }
        let drift = analysis.drift
        self.drift = Drift(largest: drift.largest, mean: (drift.mean * 1000).rounded() / 1000)
        concurrency = analysis.concurrency
        self.plots = plots
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "max", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
