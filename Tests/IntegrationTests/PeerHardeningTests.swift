import Foundation
import Testing

@testable import Analysis
@testable import LamportCore
@testable import Orchestration
@testable import VMRuntime

/// Peers that lie, flood, stop reading or go silent: the VM refuses, bounds or notices them, and
/// keeps running (docs/protocol.md).
@Suite(.serialized)
struct PeerHardeningTests {
    static func peerDowns(_ path: String, peer: Int) -> [String] {
        EventLogs.records(path).filter { $0.kind == .peerDown && $0.peer == peer }.compactMap(\.reason)
    }

    @Test("with PEER_SECRET an impostor claiming a free id is refused; the real VM then joins")
    func impostorRefused() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        var environment = layout.environment(1, tickRate: "50")
        environment["PEER_SECRET"] = "class-of-2026"
        let vm1 = try workspace.start("vm1", environment: environment)

        let impostor = try await FakePeer.connect(port: layout.port(1))
        let withoutSecret = await impostor.hello(as: 2, clusterSize: 2)
        #expect(withoutSecret == .reject(reason: "VM 1 requires a PEER_SECRET and VM 2 has none"))

        let guesser = try await FakePeer.connect(port: layout.port(1))
        guard case .hello(let answer)? = await guesser.hello(as: 2, clusterSize: 2, usesSecret: true) else {
            Issue.record("VM 1 should answer a hello that claims a secret")
            return
        }
        #expect(answer.usesSecret)
        #expect(await guesser.receive().map { if case .auth = $0 { true } else { false } } == true)
        guesser.send([.auth(proof: [UInt8](repeating: 0, count: WireFrame.proofLength))])
        guard case .reject(let reason)? = await guesser.receive() else {
            Issue.record("a wrong proof must be answered with reject")
            return
        }
        #expect(reason.contains("PEER_SECRET mismatch"))
        guesser.send([.message(sendSeq: 1, clock: 5)])
        #expect(await guesser.connection.readUntilClosed() != .stillOpen)

        var environment2 = layout.environment(2, tickRate: "50")
        environment2["PEER_SECRET"] = "class-of-2026"
        let vm2 = try workspace.start("vm2", environment: environment2)
        let started = await waitUntilStarted(logs: layout.logPaths, processes: [vm1, vm2])
        #expect(started, "\(describe([vm1, vm2]))")
        let exits = await stopAll([vm1, vm2])
        #expect(exits == [.code(0), .code(0)], "\(describe([vm1, vm2]))")
        #expect(EventLogs.records(layout.logPath(1)).filter { $0.kind == .receive }.allSatisfy { $0.from == 2 })
        let report = try RunChecker.check(logFiles: layout.logPaths)
        #expect(report.passed, "\(report.checks.flatMap(\.examples))")
    }

    @Test("a message whose clock would overflow the Lamport clock closes that connection only")
    func overflowingClock() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        let vm1 = try workspace.startVM(1, of: layout, tickRate: "20")
        let peer = try await FakePeer.connect(port: layout.port(1))
        guard case .hello? = await peer.hello(as: 2, clusterSize: 2) else {
            Issue.record("VM 1 should accept the hello")
            return
        }
        var frame: [UInt8] = [0, 0, 0, 17, 3, 0, 0, 0, 0, 0, 0, 0, 1]
        frame += [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        peer.connection.send(frame)
        #expect(await peer.connection.readUntilClosed() != .stillOpen)
        try await Task.sleep(for: .milliseconds(300))
        #expect(vm1.isRunning, "\(describe([vm1]))")
        let downs = await eventually { Self.peerDowns(layout.logPath(1), peer: 2).first }
        #expect(downs?.hasPrefix("bad frame: message frame with send_seq or clock above") == true)
        let vm2 = try workspace.startVM(2, of: layout, tickRate: "20")
        #expect(await waitUntilStarted(logs: layout.logPaths, processes: [vm1, vm2]), "\(describe([vm1, vm2]))")
        #expect(await stopAll([vm1, vm2]) == [.code(0), .code(0)])
    }

    @Test("a stamp at the limit (2^53-1) is received, then the VM stops cleanly: clock_exhausted, exit 1")
    func exhaustedClock() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        let vm1 = try workspace.startVM(1, of: layout, tickRate: "20")
        let peer = try await FakePeer.connect(port: layout.port(1))
        guard case .hello? = await peer.hello(as: 2, clusterSize: 2) else {
            Issue.record("VM 1 should accept the hello")
            return
        }
        let heartbeats = peer.keepAlive(count: 40)
        defer { heartbeats.cancel() }
        try #require(await poll { EventLogs.hasStarted(layout.logPath(1)) }, "\(describe([vm1]))")
        peer.send([.message(sendSeq: 1, clock: LamportClock.maximumStamp)])
        #expect(await vm1.waitForExit() == .code(1), "\(describe([vm1]))")
        #expect(vm1.standardErrorLines.contains { $0.contains("the Lamport clock reached") })
        let records = EventLogs.records(layout.logPath(1))
        let receive = records.last { $0.kind == .receive }
        #expect(receive?.clock == LamportClock.maximumStamp + 1)
        #expect(records.last?.kind == .stop && records.last?.reason == "clock_exhausted")
        let sent = records.filter { $0.kind == .send }.compactMap(\.clock)
        #expect(sent.allSatisfy { $0 <= LamportClock.maximumStamp }, "no stamp above the limit is sent")
    }

    @Test("a new connection from a VM replaces the stale link the VM still holds for it")
    func staleLinkReplaced() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        let vm1 = try workspace.startVM(1, of: layout, tickRate: "20")
        // A link that looks alive to VM 1 (it sends heartbeats) but is not the real VM 2.
        let stale = try await FakePeer.connect(port: layout.port(1))
        guard case .hello? = await stale.hello(as: 2, clusterSize: 2) else {
            Issue.record("VM 1 should accept the first hello")
            return
        }
        stale.send([.heartbeat])
        let vm2 = try workspace.startVM(2, of: layout, tickRate: "20")
        let exchanging = await poll {
            EventLogs.records(layout.logPath(1)).contains { $0.kind == .receive }
                && EventLogs.records(layout.logPath(2)).contains { $0.kind == .receive }
        }
        #expect(exchanging, "\(describe([vm1, vm2]))")
        #expect(Self.peerDowns(layout.logPath(1), peer: 2).first == "replaced by a new connection")
        #expect(await stale.connection.readUntilClosed() != .stillOpen)
        #expect(await stopAll([vm1, vm2]) == [.code(0), .code(0)], "\(describe([vm1, vm2]))")
    }

    @Test("a stopped peer (SIGSTOP) is noticed by its silence, and rejoins once it runs again")
    func silentPeerNoticed() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        let vms = try layout.ids.map { try workspace.startVM($0, of: layout, tickRate: "20") }
        try #require(await waitUntilStarted(logs: layout.logPaths, processes: vms), "\(describe(vms))")
        let control = ControlClient(port: layout.controlPorts[0])
        #expect(try control.get("/readyz").status == 200)

        vms[1].send(SIGSTOP)
        let noticed = await poll(timeout: .seconds(30)) {
            Self.peerDowns(layout.logPath(1), peer: 2).contains { $0.hasPrefix("no frame from the peer") }
        }
        #expect(noticed, "VM 1 should log peer_down for the silent VM 2")
        #expect(try control.status().peers.first?.connected == false)
        #expect(try control.get("/readyz").status != 200)

        vms[1].send(SIGCONT)
        let back = await poll(timeout: .seconds(30)) {
            (try? control.status().peers.first?.connected) == true
        }
        #expect(back, "VM 2 should be connected again after SIGCONT\n\(describe(vms))")
        #expect(await stopAll(vms) == [.code(0), .code(0)], "\(describe(vms))")
    }

    @Test("a flooding peer cannot grow the queue past its limit; the VM stays responsive")
    func floodBounded() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        let vm1 = try workspace.startVM(1, of: layout, tickRate: "1")
        let flooder = try await FakePeer.connect(port: layout.port(1))
        guard case .hello? = await flooder.hello(as: 2, clusterSize: 2) else {
            Issue.record("VM 1 should accept the hello")
            return
        }
        let limit = VMNode.queueLimit
        let chunk = FakePeer.encode((1...10_000).map { .message(sendSeq: $0, clock: $0) })
        let writer = Task.detached {
            // Blocks once VM 1 stops reading; the socket is closed at the end of the test.
            for _ in 0..<(limit / 10_000 + 30) where flooder.connection.send(chunk) {}
        }
        let control = ControlClient(port: layout.controlPorts[0])
        let full = await poll(timeout: .seconds(60)) { ((try? control.status().queueLength) ?? 0) >= limit }
        #expect(full, "the queue should reach its limit of \(limit)")
        try await Task.sleep(for: .seconds(1))
        let queue = try control.status().queueLength
        let slack = VMNode.queueLimitSlack
        #expect(queue <= limit + slack, "queue \(queue) grew past the limit \(limit) plus what one read holds")
        #expect(try control.get("/livez").status == 200)
        #expect(Self.peerDowns(layout.logPath(1), peer: 2).isEmpty, "the flooder is held back, not disconnected")
        flooder.connection.shutdownBoth()
        _ = await writer.value
        #expect(vm1.isRunning)
    }

    @Test("a peer that never reads fills at most the send buffer: sends to it are dropped and logged")
    func nonReadingPeerBounded() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        var layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        layout.maxAction = 2  // every idle tick sends
        let vm1 = try workspace.startVM(1, of: layout, tickRate: "max")
        let sink = try await FakePeer.connect(port: layout.port(1), receiveBuffer: 4096)
        guard case .hello? = await sink.hello(as: 2, clusterSize: 2) else {
            Issue.record("VM 1 should accept the hello")
            return
        }
        let heartbeats = sink.keepAlive(count: 240)
        defer { heartbeats.cancel() }
        let control = ControlClient(port: layout.controlPorts[0])
        let congested = await poll(timeout: .seconds(120)) {
            guard let peer = try? control.status().peers.first else { return false }
            return !peer.connected && peer.dropped > 0
        }
        #expect(congested, "VM 1 should mark VM 2 down and drop sends to it\n\(describe([vm1]))")
        vm1.terminate()
        #expect(await vm1.waitForExit() == .code(0), "\(describe([vm1]))")
        #expect(Self.peerDowns(layout.logPath(1), peer: 2).contains("send_buffer_full"))
        let sends = EventLogs.records(layout.logPath(1)).filter { $0.kind == .send }
        #expect(sends.contains { $0.dropped.contains(2) })
    }
}
