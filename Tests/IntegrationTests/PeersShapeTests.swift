import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// PEERS as a Kubernetes StatefulSet or a hand-written map across hosts gives it: every VM names
/// every VM, itself included, so every pair dials each other.
@Suite(.serialized)
struct PeersShapeTests {
    /// PEERS naming all VMs of `layout`, the VM's own entry included.
    static func everyone(_ layout: ClusterLayout) -> String {
        "{" + layout.ids.map { "\"\($0)\": \(layout.port($0))" }.joined(separator: ", ") + "}"
    }

    static func environment(_ vm: Int, of layout: ClusterLayout) -> [String: String] {
        layout.environment(vm, tickRate: "50").merging(["PEERS": everyone(layout)]) { $1 }
    }

    /// How many `peer_up` lines the log at `path` has for each peer.
    static func peerUps(in path: String) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for record in EventLogs.records(path) where record.kind == .peerUp {
            if let peer = record.peer { counts[peer, default: 0] += 1 }
        }
        return counts
    }

    /// Standard error lines about a connection refused because both sides dialed.
    static func bothDialedRefusals(_ process: ServerProcess) -> Int {
        process.standardErrorLines.filter { $0.contains("both VMs dial each other") }.count
    }

    @Test("every VM dials every VM: one link per pair, the same on both sides, no retry loop, a killed VM rejoins")
    func everyVMDialsEveryVM() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 3, logDirectory: workspace.path("logs"))
        var vms = try layout.ids.map { try workspace.start("vm\($0)", environment: Self.environment($0, of: layout)) }
        let started = await waitUntilStarted(logs: layout.logPaths, processes: vms)
        try #require(started, "not every VM logged a start line\n\(describe(vms))")
        let linked = await poll {
            layout.logPaths.allSatisfy { path in
                let records = EventLogs.records(path)
                return Set(records.compactMap { $0.kind == .receive ? $0.from : nil }).count == 2
            }
        }
        try #require(linked, "every VM should receive from both others\n\(describe(vms))")
        for vm in layout.ids {
            let others = Dictionary(uniqueKeysWithValues: layout.ids.filter { $0 != vm }.map { ($0, 1) })
            #expect(Self.peerUps(in: layout.logPath(vm)) == others, "VM \(vm): one peer_up per peer")
        }

        // VM 1's links were the connections it dialed; VMs 2 and 3 waited with their own dialers.
        // Killed and restarted, it must be dialed and linked again.
        vms[0].kill9()
        _ = await vms[0].waitForExit()
        vms[0] = try workspace.start("vm1-restarted", environment: Self.environment(1, of: layout))
        let rejoined = await poll {
            let vm1 = EventLogs.records(layout.logPath(1))
            guard let secondStart = vm1.indices.filter({ vm1[$0].kind == .start }).dropFirst().first else {
                return false
            }
            let senders = Set(vm1[secondStart...].compactMap { $0.kind == .receive ? $0.from : nil })
            return senders == [2, 3]
        }
        #expect(rejoined, "the restarted VM 1 should receive from VMs 2 and 3 again\n\(describe(vms))")
        let afterRestart = [1: [2: 2, 3: 2], 2: [1: 2, 3: 1], 3: [1: 2, 2: 1]]
        for (vm, counts) in afterRestart {
            #expect(Self.peerUps(in: layout.logPath(vm)) == counts, "VM \(vm): one more peer_up per link to VM 1")
        }

        let exits = await stopAll(vms)
        #expect(exits == [.code(0), .code(0), .code(0)], "\(describe(vms))")
        for process in vms {
            // A refusal happens only when two dials cross; a loop would log one every second.
            #expect(Self.bothDialedRefusals(process) <= 4, "\(process.name) keeps refusing connections")
        }
        let report = try RunChecker.check(logFiles: layout.logPaths)
        for check in report.checks {
            #expect(check.passed, "\(check.name): \(check.examples.joined(separator: "; "))")
        }
        #expect(report.accounting.unaccounted == 0)
    }
}
