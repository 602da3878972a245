import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration

/// A VM killed with SIGKILL and restarted: its peers carry on without it and take it back.
@Suite(.serialized)
struct CrashRecoveryTests {
    static let tickEventKinds: Set<EventKind> = [.internalEvent, .send, .receive]

    /// What VM `vm`'s log shows since its last `peer_down` for `peer`.
    struct SinceDown {
        var tickEvents: Int
        var droppedSends: Int
        var peerUp: Bool
    }

    static func sinceDown(of peer: Int, in path: String) -> SinceDown? {
        let records = EventLogs.records(path)
        guard let down = records.lastIndex(where: { $0.kind == .peerDown && $0.peer == peer }) else { return nil }
        let later = records[(down + 1)...]
        return SinceDown(
            tickEvents: later.filter { $0.kind.map(tickEventKinds.contains) ?? false }.count,
            droppedSends: later.filter { $0.kind == .send && $0.dropped.contains(peer) }.count,
            peerUp: later.contains { $0.kind == .peerUp && $0.peer == peer })
    }

    @Test("peers of a killed VM keep ticking and drop sends to it; restarted, it rejoins and continues its log")
    func killAndRestart() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 3, logDirectory: workspace.path("logs"))
        let rate = "200"
        let vms = try layout.ids.map { try workspace.startVM($0, of: layout, tickRate: rate) }
        let started = await waitUntilStarted(logs: layout.logPaths, processes: vms)
        try #require(started, "not every VM logged a start line\n\(describe(vms))")
        let exchanging = await poll {
            layout.logPaths.allSatisfy { path in
                let records = EventLogs.records(path)
                return records.contains { $0.kind == .receive }
                    && records.filter { $0.kind.map(Self.tickEventKinds.contains) ?? false }.count >= 100
            }
        }
        try #require(exchanging, "every VM should receive messages before the crash")

        vms[2].kill9()
        #expect(await vms[2].waitForExit() == .signal(SIGKILL))

        let survivors = [1, 2]
        let carriedOn = await poll {
            survivors.allSatisfy { vm in
                guard let since = Self.sinceDown(of: 3, in: layout.logPath(vm)) else { return false }
                return since.tickEvents >= 50 && since.droppedSends >= 1
            }
        }
        #expect(
            carriedOn,
            "VMs 1 and 2 should log peer_down for VM 3, keep ticking, and log sends to it as dropped\n\(describe(vms))")
        #expect(vms[0].isRunning && vms[1].isRunning, "\(describe(vms))")

        let restarted = try workspace.startVM(3, of: layout, tickRate: rate, name: "vm3-restarted")
        let running = [vms[0], vms[1], restarted]
        let rejoined = await poll {
            let vm3 = EventLogs.records(layout.logPath(3))
            guard let secondStart = vm3.indices.filter({ vm3[$0].kind == .start }).dropFirst().first else {
                return false
            }
            let ticking = vm3[secondStart...].filter { $0.kind.map(Self.tickEventKinds.contains) ?? false }.count >= 100
            return ticking && survivors.allSatisfy { Self.sinceDown(of: 3, in: layout.logPath($0))?.peerUp == true }
        }
        #expect(
            rejoined,
            "VM 3 should log a second start line and tick; VMs 1 and 2 should log peer_up for it\n\(describe(running))")

        let exits = await stopAll(running)
        #expect(exits == [.code(0), .code(0), .code(0)], "\(describe(running))")

        let report = try RunChecker.check(logFiles: layout.logPaths)
        for check in report.checks {
            #expect(check.passed, "\(check.name): \(check.examples.joined(separator: "; "))")
        }
        #expect(report.crashedVMs == [3])
        #expect(report.accounting.unaccounted == 0)
        #expect(report.accounting.dropped > 0)
        let vm3 = EventLogs.records(layout.logPath(3))
        #expect(vm3.map(\.seq) == Array(1...vm3.count), "the restarted VM continues its log's seq")
        #expect(vm3.filter { $0.kind == .start }.count == 2)
        #expect(vm3.last?.kind == .stop)
    }
}
