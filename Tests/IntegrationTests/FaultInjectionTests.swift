import EventLog
import Foundation
import Testing

@testable import Analysis
@testable import Orchestration

/// Faults set over `POST /faults` on real `vmserver run` processes (3 VMs, 50 ticks/s), read back
/// from their logs after a clean stop. No timing assertions: each test waits (polling) for enough
/// sends under the fault, then checks what the logs account for.
@Suite(.serialized)
struct FaultInjectionTests {
    /// A running 3-VM cluster in its own workspace.
    struct Cluster {
        let workspace: TestWorkspace
        let layout: ClusterLayout
        let processes: [ServerProcess]

        static func start() async throws -> Cluster {
            let workspace = try TestWorkspace()
            let layout = try ClusterLayout(totalVMs: 3, logDirectory: workspace.path("logs"))
            let processes = try layout.ids.map { try workspace.startVM($0, of: layout, tickRate: "50") }
            let started = await waitUntilStarted(logs: layout.logPaths, processes: processes)
            try #require(started, "\(describe(processes))")
            return Cluster(workspace: workspace, layout: layout, processes: processes)
        }

        func control(_ vm: Int) -> ControlClient { ControlClient(port: layout.controlPorts[vm - 1]) }

        func lines(_ vm: Int) -> [[String: Any]] { logFileObjects(layout.logPath(vm)) }

        /// POST /faults on VM `vm`; the fault's id (the answer must be 201).
        func addFault(on vm: Int, _ json: String) throws -> Int {
            let reply = try control(vm).request(
                "POST", "/faults", headers: [("Content-Type", "application/json")], body: Array(json.utf8))
            try #require(reply.status == 201, "\(reply)")
            return try #require(try reply.object()["id"] as? Int)
        }

        /// Waits until VM `vm` has logged `count` sends to `peer` after its `fault` line `id`.
        func waitForSends(of vm: Int, to peer: Int, after id: Int, count: Int) async -> Bool {
            await poll(timeout: .seconds(60)) {
                FaultInjectionTests.sends(in: lines(vm), to: peer, whileFault: id).count >= count
            }
        }

        /// What `vmserver analyze` checks of the logs: every rule must hold and every message be
        /// accounted for; returns where the messages went.
        func expectLogsPass(sourceLocation: SourceLocation = #_sourceLocation) throws -> MessageAccounting {
            let report = try RunChecker.check(logFiles: layout.logPaths)
            for check in report.checks {
                #expect(
                    check.passed, "\(check.name): \(check.examples.joined(separator: "; "))",
                    sourceLocation: sourceLocation)
            }
            #expect(report.accounting.unaccounted == 0, sourceLocation: sourceLocation)
            #expect(report.crashedVMs.isEmpty, sourceLocation: sourceLocation)
            return report.accounting
        }

        /// SIGTERM to all; every VM must exit 0.
        func stop() async {
            let exits = await stopAll(processes)
            #expect(exits == [.code(0), .code(0), .code(0)], "\(describe(processes))")
        }
    }

    /// The `send` lines to `peer` from the `fault` line of fault `id` to its `heal` line (or the end).
    static func sends(in lines: [[String: Any]], to peer: Int, whileFault id: Int) -> [[String: Any]] {
        guard let start = lines.firstIndex(where: { isLine($0, "fault", id: id) }) else { return [] }
        let end = lines[start...].firstIndex(where: { isLine($0, "heal", id: id) }) ?? lines.endIndex
        return lines[start..<end].filter { $0["type"] as? String == "send" && ints($0["to"]).contains(peer) }
    }

    static func isLine(_ line: [String: Any], _ type: String, id: Int) -> Bool {
        line["type"] as? String == type && line["id"] as? Int == id
    }

    static func ints(_ value: Any?) -> [Int] { value as? [Int] ?? [] }

    /// The `(send_seq, duplicate)` of every receive or unprocessed line of messages from `sender`.
    static func arrivals(in lines: [[String: Any]], from sender: Int) -> [(sendSeq: Int, duplicate: Bool)] {
        lines.filter { ["receive", "unprocessed"].contains($0["type"] as? String) && $0["from"] as? Int == sender }
            .map { ($0["send_seq"] as? Int ?? 0, $0["duplicate"] as? Bool ?? false) }
    }

    @Test("loss 1.0 on one link loses every message on it, each one listed in its send line's lost")
    func lossOnOneLink() async throws {
        let cluster = try await Cluster.start()
        defer { cluster.workspace.cleanUp() }
        let id = try cluster.addFault(on: 1, #"{"kind": "loss", "probability": 1, "peers": [2]}"#)
        #expect(await cluster.waitForSends(of: 1, to: 2, after: id, count: 8))
        let removed = try cluster.control(1).request("DELETE", "/faults/\(id)")
        #expect(removed.status == 204)
        #expect(try cluster.control(1).request("DELETE", "/faults/\(id)").status == 404)
        await cluster.stop()

        let vm1 = cluster.lines(1)
        let fault = try #require(vm1.first { Self.isLine($0, "fault", id: id) })
        #expect(fault["kind"] as? String == "loss" && Self.ints(fault["peers"]) == [2])
        let heal = try #require(vm1.first { Self.isLine($0, "heal", id: id) })
        #expect(heal["reason"] as? String == "removed")
        #expect(heal["clock"] as? Int == vm1[vm1.firstIndex { Self.isLine($0, "heal", id: id) }! - 1]["clock"] as? Int)
        let underFault = Self.sends(in: vm1, to: 2, whileFault: id)
        #expect(underFault.count >= 8)
        #expect(underFault.allSatisfy { Self.ints($0["lost"]) == [2] }, "\(underFault)")
        let lostSeqs = Set(underFault.compactMap { $0["seq"] as? Int })
        let arrivedAt2 = Set(Self.arrivals(in: cluster.lines(2), from: 1).map(\.sendSeq))
        #expect(arrivedAt2.isDisjoint(with: lostSeqs))
        // Sends to all under the fault still reach VM 3.
        let toAll = underFault.filter { Self.ints($0["to"]) == [2, 3] }.compactMap { $0["seq"] as? Int }
        let arrivedAt3 = Set(Self.arrivals(in: cluster.lines(3), from: 1).map(\.sendSeq))
        #expect(Set(toAll).isSubset(of: arrivedAt3))
        // Outside the fault nothing is lost.
        #expect(vm1.filter { $0["lost"] != nil }.count == underFault.count)
        let accounting = try cluster.expectLogsPass()
        #expect(accounting.lostToFault == underFault.count)
        #expect(accounting.duplicated == 0)
    }

    @Test("a partition that ends after its duration releases what it held, in send order")
    func partitionHealedReleasesInOrder() async throws {
        let cluster = try await Cluster.start()
        defer { cluster.workspace.cleanUp() }
        let id = try cluster.addFault(on: 1, #"{"kind": "partition", "peers": [2], "duration_s": 2}"#)
        let healed = await poll(timeout: .seconds(60)) {
            cluster.lines(1).contains { Self.isLine($0, "heal", id: id) }
        }
        #expect(healed)
        let held = Self.sends(in: cluster.lines(1), to: 2, whileFault: id).compactMap { $0["seq"] as? Int }
        #expect(!held.isEmpty)
        // Wait for VM 2 to have taken in the last held message, then stop.
        #expect(
            await poll(timeout: .seconds(60)) {
                Self.arrivals(in: cluster.lines(2), from: 1).contains { $0.sendSeq == held.last }
            })
        await cluster.stop()

        let vm1 = cluster.lines(1)
        #expect(vm1.first { Self.isLine($0, "heal", id: id) }?["reason"] as? String == "expired")
        #expect(vm1.allSatisfy { $0["lost"] == nil })
        let arrivals = Self.arrivals(in: cluster.lines(2), from: 1)
        let seqs = arrivals.map(\.sendSeq)
        #expect(Set(held).isSubset(of: Set(seqs)))
        #expect(seqs == seqs.sorted(), "VM 2 took VM 1's messages in send order")
        #expect(Set(seqs).count == seqs.count && arrivals.allSatisfy { !$0.duplicate })
        let accounting = try cluster.expectLogsPass()
        #expect(accounting.lostToFault == 0 && accounting.duplicated == 0)
    }

    @Test("a delay on one link: every message still arrives once, also those in flight at a clean stop")
    func delayOnOneLink() async throws {
        let cluster = try await Cluster.start()
        defer { cluster.workspace.cleanUp() }
        let id = try cluster.addFault(on: 2, #"{"kind": "delay", "ms": 300, "jitter_ms": 100, "peers": [3]}"#)
        #expect(await cluster.waitForSends(of: 2, to: 3, after: id, count: 6))
        await cluster.stop()

        let vm2 = cluster.lines(2)
        let fault = try #require(vm2.first { Self.isLine($0, "fault", id: id) })
        #expect(fault["ms"] as? Int == 300 && fault["jitter_ms"] as? Int == 100)
        #expect(fault["distribution"] as? String == "uniform")
        #expect(vm2.first { Self.isLine($0, "heal", id: id) }?["reason"] as? String == "stopped")
        let sentTo3 = vm2.filter { $0["type"] as? String == "send" && Self.ints($0["to"]).contains(3) }
            .compactMap { $0["seq"] as? Int }
        let arrivals = Self.arrivals(in: cluster.lines(3), from: 2).map(\.sendSeq)
        #expect(arrivals.sorted() == sentTo3, "every message from VM 2 reached VM 3 exactly once")
        #expect(vm2.allSatisfy { $0["lost"] == nil })
        let accounting = try cluster.expectLogsPass()
        #expect(accounting.lostToFault == 0 && accounting.duplicated == 0)
    }

    @Test("duplicate 1.0: each message on the link arrives twice, the second a duplicate receive")
    func duplicateOnOneLink() async throws {
        let cluster = try await Cluster.start()
        defer { cluster.workspace.cleanUp() }
        let id = try cluster.addFault(on: 3, #"{"kind": "duplicate", "probability": 1, "peers": [1]}"#)
        #expect(await cluster.waitForSends(of: 3, to: 1, after: id, count: 6))
        #expect(try cluster.control(3).request("DELETE", "/faults").status == 204)
        await cluster.stop()

        let doubled = Self.sends(in: cluster.lines(3), to: 1, whileFault: id).compactMap { $0["seq"] as? Int }
        let arrivals = Self.arrivals(in: cluster.lines(1), from: 3)
        for seq in doubled {
            let copies = arrivals.filter { $0.sendSeq == seq }
            #expect(copies.map(\.duplicate) == [false, true], "send_seq \(seq): \(copies)")
        }
        let others = arrivals.filter { !doubled.contains($0.sendSeq) }
        #expect(others.allSatisfy { !$0.duplicate })
        let accounting = try cluster.expectLogsPass()
        #expect(accounting.duplicated == arrivals.filter(\.duplicate).count)
        #expect(accounting.duplicated >= doubled.count)
        #expect(accounting.lostToFault == 0)
    }

    @Test("clock_skew shifts the log times while it is active, and nothing else")
    func clockSkewShiftsTheLogTimes() async throws {
        let cluster = try await Cluster.start()
        defer { cluster.workspace.cleanUp() }
        let id = try cluster.addFault(on: 1, #"{"kind": "clock_skew", "ms": 86400000}"#)
        let faults = try cluster.control(1).object("/faults")["faults"] as? [[String: Any]]
        #expect(faults?.first?["peers"] as? [Int] == [] && faults?.first?["ms"] as? Int == 86_400_000)
        #expect(
            await poll(timeout: .seconds(60)) {
                let lines = cluster.lines(1)
                guard let start = lines.firstIndex(where: { Self.isLine($0, "fault", id: id) }) else { return false }
                return lines.count - start > 10
            })
        #expect(try cluster.control(1).request("DELETE", "/faults/\(id)").status == 204)
        await cluster.stop()

        let vm1 = cluster.lines(1)
        let start = try #require(vm1.firstIndex { Self.isLine($0, "fault", id: id) })
        let end = try #require(vm1.firstIndex { Self.isLine($0, "heal", id: id) })
        let times = vm1.map { Self.seconds($0["time"]) }
        let day = 86_400.0
        #expect(vm1[start..<end].indices.allSatisfy { times[$0] - times[start - 1] >= day - 60 })
        #expect(vm1[end...].indices.allSatisfy { times[$0] < times[start] - day + 60 })
        let clocks = vm1.compactMap { $0["clock"] as? Int }
        #expect(clocks == clocks.sorted(), "the clock never went back")
        _ = try cluster.expectLogsPass()
    }

    @Test("a delay of 200 ms on one link shows in that link's receive times only")
    func delayShowsOnItsLinkOnly() async throws {
        let cluster = try await Cluster.start()
        defer { cluster.workspace.cleanUp() }
        let id = try cluster.addFault(on: 1, #"{"kind": "delay", "ms": 200, "peers": [2]}"#)
        #expect(await cluster.waitForSends(of: 1, to: 2, after: id, count: 20))
        #expect(await cluster.waitForSends(of: 1, to: 3, after: id, count: 20))
        #expect(try cluster.control(1).request("DELETE", "/faults/\(id)").status == 204)
        await cluster.stop()

        let vm1 = cluster.lines(1)
        let sendTimes = Dictionary(
            uniqueKeysWithValues: vm1.filter { $0["type"] as? String == "send" }.compactMap { line in
                (line["seq"] as? Int).map { ($0, Self.microseconds(line["time"])) }
            })
        // Ending the fault releases what it still holds at once: count only the messages sent at
        // least 200 ms before the heal line.
        let healed = Self.microseconds(vm1.first { Self.isLine($0, "heal", id: id) }?["time"])
        /// Microseconds from send to receive of VM 1's messages sent under the fault, on the link to `peer`.
        func latencies(to peer: Int) -> [Int64] {
            let underFault = Set(
                Self.sends(in: vm1, to: peer, whileFault: id).filter {
                    Self.microseconds($0["time"]) <= healed - 200_000
                }
                .compactMap { $0["seq"] as? Int })
            return cluster.lines(peer).filter {
                $0["type"] as? String == "receive" && $0["from"] as? Int == 1
            }.compactMap { line -> Int64? in
                guard let seq = line["send_seq"] as? Int, underFault.contains(seq), let sent = sendTimes[seq] else {
                    return nil
                }
                return Self.microseconds(line["time"]) - sent
            }
        }
        let delayed = latencies(to: 2)
        let direct = latencies(to: 3)
        #expect(!delayed.isEmpty && !direct.isEmpty)
        // Same host, same clock: a delayed message cannot be received before its 200 ms are up.
        #expect(delayed.allSatisfy { $0 >= 200_000 }, "\(delayed)")
        // The other link is not delayed: some of its messages arrive sooner than that.
        #expect(direct.contains { $0 < 200_000 }, "\(direct)")
        _ = try cluster.expectLogsPass()
    }

    @Test("copies a partition holds for a VM that is killed are logged as drop lines and counted as dropped")
    func heldCopiesOfAKilledPeerAreDropped() async throws {
        let cluster = try await Cluster.start()
        defer { cluster.workspace.cleanUp() }
        let id = try cluster.addFault(on: 1, #"{"kind": "partition", "peers": [3]}"#)
        #expect(await cluster.waitForSends(of: 1, to: 3, after: id, count: 5))
        cluster.processes[2].kill9()
        _ = await cluster.processes[2].waitForExit()
        #expect(
            await poll(timeout: .seconds(60)) {
                cluster.lines(1).contains { $0["type"] as? String == "drop" }
            })
        let survivors = Array(cluster.processes[0...1])
        #expect(await stopAll(survivors) == [.code(0), .code(0)], "\(describe(survivors))")

        let vm1 = cluster.lines(1)
        let held = Self.sends(in: vm1, to: 3, whileFault: id).filter { !Self.ints($0["dropped"]).contains(3) }
            .compactMap { $0["seq"] as? Int }
        let drops = vm1.filter { $0["type"] as? String == "drop" }
        #expect(drops.allSatisfy { Self.ints($0["to"]) == [3] })
        #expect(drops.compactMap { $0["send_seq"] as? Int } == held, "one drop line per held copy, in send order")
        let report = try RunChecker.check(logFiles: cluster.layout.logPaths)
        for check in report.checks { #expect(check.passed, "\(check.name): \(check.examples)") }
        #expect(report.accounting.unaccounted == 0)
        #expect(report.accounting.dropped >= held.count)
        #expect(report.crashedVMs == [3])
    }

    /// Microseconds since the epoch of a log line's `time`, read by the log's own parser (exact:
    /// Foundation's ISO 8601 parser stops at the millisecond, enough to make 200.4 ms read 199.99).
    static func microseconds(_ value: Any?) -> Int64 {
        guard let text = value as? String else { return .min }
        return Array(text.utf8).withUnsafeBytes { RFC3339Parser.microseconds($0) } ?? .min
    }

    /// Seconds since the epoch of a log line's `time`.
    static func seconds(_ value: Any?) -> Double {
        let micros = microseconds(value)
        return micros == .min ? .nan : Double(micros) / 1_000_000
    }
}
