import Foundation
import Testing

@testable import EventLog
@testable import LamportCore
@testable import Settings

@Suite struct SimulatedClusterTests {
    /// One event-log line as written to the file, read back from its JSON.
    struct Line: Equatable {
        var seq: Int
        var vm: Int
        var type: String
        var clock: Int
        var time: String
        var queue: Int
        var to: [Int]?
        var dropped: [Int]?
        var from: Int?
        var sendSeq: Int?
        var msgClock: Int?

        init(json text: String) throws {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
            let dict = try #require(object as? [String: Any])
            seq = try #require(dict["seq"] as? Int)
            vm = try #require(dict["vm"] as? Int)
            type = try #require(dict["type"] as? String)
            clock = try #require(dict["clock"] as? Int)
            time = try #require(dict["time"] as? String)
            queue = try #require(dict["queue"] as? Int)
            to = dict["to"] as? [Int]
            dropped = dict["dropped"] as? [Int]
            from = dict["from"] as? Int
            sendSeq = dict["send_seq"] as? Int
            msgClock = dict["msg_clock"] as? Int
        }
    }

    struct Run {
        var text: [String]
        var lines: [Line]
        var cluster: SimulatedCluster
    }

    static func run(_ configuration: SimulatedCluster.Configuration, duration: Double) throws -> Run {
        var cluster = SimulatedCluster(configuration)
        var encoder = EventLineEncoder()
        var text: [String] = []
        var times: [WallTime] = []
        cluster.run(duration: duration) { event, time in
            text.append(encoder.line(event, at: time))
            times.append(time)
        }
        // Lines are handed over in time order.
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(times.first.map { $0 >= configuration.start } ?? false)
        #expect(times.last.map { $0.microseconds <= configuration.start.microseconds + Int64(duration * 1e6) } ?? false)
        let lines = try text.map { try Line(json: $0) }
        return Run(text: text, lines: lines, cluster: cluster)
    }

    /// What `checkContracts` found: the number of tick events and every contract violation.
    struct Report {
        var tickEvents = 0
        var violations: [String] = []
    }

    /// Checks the log contracts on the recorded lines of a whole run.
    static func checkContracts(_ lines: [Line], vmCount: Int) -> Report {
        var report = Report()
        func violation(_ text: String) { report.violations.append(text) }
        let byVM = Dictionary(grouping: lines, by: \.vm)
        if Set(byVM.keys) != Set(1...vmCount) { violation("VMs in the log: \(byVM.keys.sorted())") }
        var sends: [[Int]: Line] = [:]
        for (vm, vmLines) in byVM.sorted(by: { $0.key < $1.key }) {
            // seq 1...n, no gaps, in order.
            for (offset, line) in vmLines.enumerated() where line.seq != offset + 1 {
                violation("VM \(vm): line \(offset + 1) has seq \(line.seq)")
            }
            // Lifecycle shape: peer_up for each peer, start, ..., stop last.
            if !vmLines.prefix(vmCount - 1).allSatisfy({ $0.type == "peer_up" }) { violation("VM \(vm): no peer_up") }
            if vmLines.dropFirst(vmCount - 1).first?.type != "start" { violation("VM \(vm): no start") }
            if vmLines.last?.type != "stop" { violation("VM \(vm): stop is not last") }
            if vmLines.filter({ $0.type == "stop" }).count != 1 { violation("VM \(vm): not one stop") }
            if vmLines.filter({ $0.type == "start" }).count != 1 { violation("VM \(vm): not one start") }
            // Once stopped, nothing is left queued.
            if vmLines.last?.queue != 0 { violation("VM \(vm): queue not empty at stop") }
            // The clock: lifecycle lines keep it, internal/send add 1, receive jumps to max + 1.
            var clock = 0
            for line in vmLines {
                switch line.type {
                case "internal", "send":
                    report.tickEvents += 1
                    if line.clock != clock + 1 {
                        violation("VM \(vm) seq \(line.seq): \(line.type) \(clock) -> \(line.clock)")
                    }
                    // An idle action happens only when the queue is empty.
                    if line.queue != 0 { violation("VM \(vm) seq \(line.seq): \(line.type) with queue \(line.queue)") }
                case "receive":
                    report.tickEvents += 1
                    let msgClock = line.msgClock ?? .max
                    if line.clock != max(clock, msgClock) + 1 || line.clock <= msgClock {
                        violation("VM \(vm) seq \(line.seq): receive \(clock) -> \(line.clock), msg_clock \(msgClock)")
                    }
                default:
                    if line.clock != clock { violation("VM \(vm) seq \(line.seq): \(line.type) changed the clock") }
                }
                if line.type == "send" { sends[[vm, line.seq]] = line }
                clock = line.clock
            }
        }

        // Every receive / unprocessed line names a real send addressed to it, with its clock.
        var accounted: [[Int]: Int] = [:]
        for line in lines where line.type == "receive" || line.type == "unprocessed" {
            let name = "VM \(line.vm) seq \(line.seq) (\(line.type))"
            guard let from = line.from, let sendSeq = line.sendSeq, let msgClock = line.msgClock else {
                violation("\(name): no from/send_seq/msg_clock")
                continue
            }
            guard let send = sends[[from, sendSeq]] else {
                violation("\(name): VM \(from) has no send with seq \(sendSeq)")
                continue
            }
            if !(send.to ?? []).contains(line.vm) || (send.dropped ?? []).contains(line.vm) {
                violation("\(name): the send was not addressed to it")
            }
            if msgClock != send.clock { violation("\(name): msg_clock \(msgClock), the send's clock \(send.clock)") }
            accounted[[from, sendSeq, line.vm], default: 0] += 1
        }

        // Every message sent (to minus dropped) is received or unprocessed exactly once.
        for (key, send) in sends.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let to = send.to ?? []
            if to.isEmpty || to.contains(key[0]) || to != to.sorted() {
                violation("VM \(key[0]) seq \(key[1]): to \(to)")
            }
            for recipient in to where !(send.dropped ?? []).contains(recipient) {
                let count = accounted.removeValue(forKey: [key[0], key[1], recipient]) ?? 0
                if count != 1 {
                    violation("message (\(key[0]), \(key[1])) to VM \(recipient): \(count) receive/unprocessed lines")
                }
            }
        }
        for key in accounted.keys { violation("message (\(key[0]), \(key[1])) to VM \(key[2]) was never sent") }
        return report
    }

    /// Runs the contract checks and records their violations (the first few) as one issue.
    @discardableResult
    static func expectContracts(_ lines: [Line], vmCount: Int) -> Int {
        let report = checkContracts(lines, vmCount: vmCount)
        #expect(
            report.violations.isEmpty,
            "\(report.violations.count) violations: \(report.violations.prefix(10).joined(separator: "; "))")
        return report.tickEvents
    }

    @Test func classicThreeVMRunKeepsTheContracts() throws {
        let configuration = SimulatedCluster.Configuration(tickRates: [1, 4, 6], seed: 7)
        let run = try Self.run(configuration, duration: 3000)
        let tickEvents = Self.expectContracts(run.lines, vmCount: 3)
        #expect(tickEvents > 30_000)
        // Tick k of a VM is due at start + k / rate: floor(rate * duration) + 1 ticks in the run.
        for (index, rate) in [1.0, 4, 6].enumerated() {
            let ticks = run.lines.filter {
                $0.vm == index + 1 && ["internal", "send", "receive"].contains($0.type)
            }.count
            #expect(ticks == Int(rate * 3000) + 1)
        }
        #expect(run.lines.contains { $0.type == "receive" })
        #expect(run.lines.contains { $0.type == "send" && $0.to?.count == 2 })
        #expect(run.lines.allSatisfy { $0.dropped == nil })
    }

    @Test func fastThreeVMRunKeepsTheContracts() throws {
        let configuration = SimulatedCluster.Configuration(tickRates: [100, 400, 600], seed: 3)
        let run = try Self.run(configuration, duration: 30)
        #expect(Self.expectContracts(run.lines, vmCount: 3) > 30_000)
    }

    @Test func fiveVMRunKeepsTheContracts() throws {
        let configuration = SimulatedCluster.Configuration(tickRates: [1, 2.5, 3, 5, 8], maxAction: 10, seed: 11)
        let run = try Self.run(configuration, duration: 2000)
        #expect(Self.expectContracts(run.lines, vmCount: 5) > 35_000)
        #expect(run.lines.contains { $0.type == "send" && $0.to?.count == 4 })
    }

    @Test func busyRunWithManyUnprocessedMessagesKeepsTheContracts() throws {
        // MAX_ACTION = N: every idle tick sends, so the slow VM falls far behind and its queue is
        // still full at stop: those messages must show up as unprocessed lines.
        let configuration = SimulatedCluster.Configuration(
            tickRates: [1, 50, 60, 70], maxAction: 4, seed: 5, latencyMicroseconds: 2000)
        let run = try Self.run(configuration, duration: 200)
        Self.expectContracts(run.lines, vmCount: 4)
        let unprocessed = run.lines.filter { $0.type == "unprocessed" }
        #expect(unprocessed.count > 1000)
        #expect(unprocessed.allSatisfy { $0.vm == 1 || $0.queue >= 0 })
        // The cores agree with the log.
        let cores = run.cluster.cores
        #expect(cores.allSatisfy { $0.queueLength == 0 })
        let vm1Receives = run.lines.filter { $0.vm == 1 && $0.type == "receive" }.count
        #expect(cores[0].counters.receiveEvents == vm1Receives)
        #expect(cores[0].counters.maxQueue >= unprocessed.filter { $0.vm == 1 }.count)
    }

    @Test func contractCheckCatchesBrokenLogs() throws {
        // The checks above are only worth something if they fail on a broken log.
        let run = try Self.run(SimulatedCluster.Configuration(tickRates: [4, 5, 6], seed: 8), duration: 100)
        #expect(Self.checkContracts(run.lines, vmCount: 3).violations.isEmpty)
        let receive = try #require(run.lines.lastIndex { $0.type == "receive" })
        let line = run.lines[receive]
        let message = "message (\(line.from!), \(line.sendSeq!)) to VM \(line.vm)"

        var lost = run.lines
        lost.remove(at: receive)
        let lostReport = Self.checkContracts(lost, vmCount: 3)
        #expect(lostReport.violations.contains("\(message): 0 receive/unprocessed lines"))
        #expect(lostReport.violations.contains { $0.hasPrefix("VM \(line.vm): line \(line.seq) has seq") })

        var duplicated = run.lines
        var copy = line
        copy.type = "unprocessed"
        duplicated.append(copy)
        #expect(
            Self.checkContracts(duplicated, vmCount: 3).violations.contains("\(message): 2 receive/unprocessed lines"))

        var wrongClock = run.lines
        wrongClock[receive].clock = line.msgClock!
        #expect(
            Self.checkContracts(wrongClock, vmCount: 3).violations.contains {
                $0.hasPrefix("VM \(line.vm) seq \(line.seq): receive")
            })

        var wrongMsgClock = run.lines
        wrongMsgClock[receive].msgClock = line.msgClock! + 1
        #expect(
            Self.checkContracts(wrongMsgClock, vmCount: 3).violations.contains {
                $0.hasPrefix("VM \(line.vm) seq \(line.seq) (receive): msg_clock")
            })
    }

    @Test func countersOfTheCoresMatchTheLog() throws {
        let run = try Self.run(SimulatedCluster.Configuration(tickRates: [1, 4, 6], seed: 21), duration: 500)
        for core in run.cluster.cores {
            let mine = run.lines.filter { $0.vm == core.id }
            #expect(core.counters.internalEvents == mine.filter { $0.type == "internal" }.count)
            #expect(core.counters.sendEvents == mine.filter { $0.type == "send" }.count)
            #expect(core.counters.receiveEvents == mine.filter { $0.type == "receive" }.count)
            #expect(core.clock.value == mine.last?.clock)
            #expect(core.nextSeq == mine.count + 1)
        }
    }

    @Test func sameConfigurationTwiceGivesIdenticalLines() throws {
        let configuration = SimulatedCluster.Configuration(tickRates: [1, 4, 6], seed: 99)
        let first = try Self.run(configuration, duration: 1000)
        let second = try Self.run(configuration, duration: 1000)
        #expect(first.text.count > 10_000)
        #expect(first.text == second.text)
    }

    @Test func differentSeedGivesDifferentLines() throws {
        let first = try Self.run(SimulatedCluster.Configuration(tickRates: [1, 4, 6], seed: 1), duration: 300)
        let second = try Self.run(SimulatedCluster.Configuration(tickRates: [1, 4, 6], seed: 2), duration: 300)
        #expect(first.text != second.text)
    }

    @Test func startLineRecordsTheRunSettings() throws {
        var cluster = SimulatedCluster(SimulatedCluster.Configuration(tickRates: [2.5, 4], maxAction: 7, seed: 1234))
        var starts: [VMEvent] = []
        cluster.run(duration: 1) { event, _ in
            if event.kind == .start { starts.append(event) }
        }
        #expect(starts.count == 2)
        #expect(
            starts[0].extra == [
                LogField("tick_rate", .double(2.5)), LogField("max_action", .int(7)), LogField("seed", .int(1234)),
                LogField("topology", .string("full")),
            ])
        #expect(starts[1].extra.first == LogField("tick_rate", .int(4)))
    }

    @Test func largeSeedIsLoggedSoTheRunCanBeRepeated() throws {
        // The start line's seed must be a value SEED accepts, or the run cannot be repeated.
        let seed = VMSettings.maximumSeed
        var cluster = SimulatedCluster(SimulatedCluster.Configuration(tickRates: [1, 1, 1], seed: seed))
        var encoder = EventLineEncoder()
        var startLine: String?
        cluster.run(duration: 1) { event, time in
            if event.kind == .start && startLine == nil { startLine = encoder.line(event, at: time) }
        }
        let object = try JSONSerialization.jsonObject(with: Data(try #require(startLine).utf8))
        let logged = try #require((object as? [String: Any])?["seed"] as? NSNumber)
        let settings = try VMSettings.resolve(["VM_ID": "1", "PORT": "5001", "SEED": logged.stringValue])
        #expect(settings.seed == seed)
    }
}
