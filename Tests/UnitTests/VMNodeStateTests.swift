import Foundation
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import EventLog
@testable import Settings
@testable import VMRuntime

/// The node's state machine without sockets: the node runs on an `EmbeddedEventLoop` and its peer
/// is an `EmbeddedChannel`, so nothing runs unless a test advances the loop's virtual time.
struct VMNodeStateTests {
    /// A node for VM 1 of 2 that waits for VM 2 (it dials nobody), its log in a fresh folder.
    final class Fixture {
        let loop = EmbeddedEventLoop()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vmnode-test-\(UUID().uuidString)")
        let board: SnapshotBoard
        let node: VMNode

        init(_ changes: [String: String] = [:]) throws {
            let values = [
                "VM_ID": "1", "PORT": "5001", "TOTAL_VMS": "2", "TICK_RATE": "2", "SEED": "1",
                "STARTUP_TIMEOUT": "5", "LOG_DIR": folder.path,
            ].merging(changes) { $1 }
            let settings = try VMSettings.resolve(values, randomSeed: 1)
            board = SnapshotBoard(
                VMSnapshot(vmID: 1, totalVMs: 2, tuning: settings.initialTuning, startedAt: 0))
            node = VMNode(
                settings: settings, eventLoop: loop, log: try EventLogFile(directory: folder.path, vmID: 1),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), board: board)
        }

        deinit {
            // A node's outcome must complete: stop one the test left running.
            node.stop(reason: .signal)
            loop.advanceTime(by: VMNode.byeTimeout)
            try? loop.syncShutdownGracefully()
            try? FileManager.default.removeItem(at: folder)
        }

        /// VM 2 connects and says hello, which completes the handshake.
        func connectPeer() throws -> EmbeddedChannel {
            let channel = EmbeddedChannel(loop: loop)
            try channel.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(WireFrameDecoder()),
                PeerChannelHandler(role: .acceptor, localID: 1, clusterSize: 2, secret: nil, delegate: node),
            ])
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40_000)).wait()
            let hello = PeerHello(vmID: 2, clusterSize: 2, usesSecret: false, nonce: Array(repeating: 5, count: 16))
            try channel.writeInbound(Self.bytes(.hello(hello)))
            return channel
        }

        static func bytes(_ frame: WireFrame) -> ByteBuffer {
            var buffer = ByteBuffer()
            frame.encode(into: &buffer)
            return buffer
        }

        /// The lines of the log file, parsed.
        var lines: [[String: Any]] {
            let text = (try? String(contentsOf: folder.appendingPathComponent("vm1.jsonl"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
        }

        func line(_ type: String) -> [String: Any]? {
            lines.first { $0["type"] as? String == type }
        }

        /// The node's tick loop, once it ticks.
        var tickLoop: TickLoop? {
            if case .ticking(let loop, _) = node.state { loop } else { nil }
        }

        /// The node's outcome, once it has stopped.
        var outcome: StopOutcome? {
            let box = OutcomeBox()
            node.outcome.whenSuccess { box.value = $0 }
            return box.value
        }
    }

    final class OutcomeBox: @unchecked Sendable {
        // @unchecked: set and read on the test's thread only (the embedded loop runs callbacks inline).
        var value: StopOutcome?
    }

    @Test("a tick_rate changed while waiting for peers is what the start line, /config and the schedule use")
    func tuningChangedBeforeStart() throws {
        let fixture = try Fixture()
        let node = fixture.node
        node.awaitPeers()
        #expect(node.visibleState == .waitingForPeers)

        let answered = node.apply(ConfigChange(tickRate: .perSecond(20), maxAction: 7))
        #expect(answered?.tickRate == .perSecond(20) && answered?.maxAction == 7)
        #expect(fixture.board.latest.tuning.tickRate == .perSecond(20), "GET /config reads the board")
        #expect(fixture.line("start") == nil)

        let peer = try fixture.connectPeer()
        #expect(node.visibleState == .running)
        let start = try #require(fixture.line("start"), "\(fixture.lines)")
        #expect(start["tick_rate"] as? Int == 20, "\(start)")
        #expect(start["max_action"] as? Int == 7, "\(start)")
        #expect(fixture.board.latest.tuning.tickRate == .perSecond(20))
        #expect(fixture.board.latest.tuning.maxAction == 7)
        #expect(fixture.board.latest.state == .running)
        #expect(fixture.tickLoop?.interval == 50_000_000, "ticks every 1/20 s")
        _ = peer
    }

    @Test("paused before the start: the VM starts paused, and resuming ticks at the tuning's rate")
    func pausedBeforeStart() throws {
        let fixture = try Fixture()
        let node = fixture.node
        node.awaitPeers()
        _ = node.apply(ConfigChange(paused: true))
        let peer = try fixture.connectPeer()
        #expect(node.visibleState == .paused)
        #expect(fixture.board.latest.state == .paused)
        #expect(fixture.line("start") != nil)
        let generation = try #require(fixture.tickLoop?.generation)

        _ = node.apply(ConfigChange(tickRate: .perSecond(4), paused: false))
        #expect(node.visibleState == .running)
        #expect(fixture.tickLoop?.interval == 250_000_000)
        #expect(fixture.tickLoop.map { !$0.isCurrent(generation) } == true, "a batch armed before is stale")
        _ = peer
    }

    @Test("stop: bye to the peer, stopping until its bye_ack, then the stop line and the outcome")
    func stopProtocol() throws {
        let fixture = try Fixture()
        let node = fixture.node
        node.awaitPeers()
        let peer = try fixture.connectPeer()
        while try peer.readOutbound(as: ByteBuffer.self) != nil {}  // the handshake's answer

        node.stop(reason: .signal)
        #expect(node.visibleState == .stopping)
        #expect(fixture.outcome == nil)
        var sent = try #require(try peer.readOutbound(as: ByteBuffer.self), "a bye to the peer")
        #expect(try WireFrameDecoder.decodeFrame(from: &sent) == .bye)
        #expect(node.apply(ConfigChange(tickRate: .perSecond(9))) == nil, "no changes while stopping")

        try peer.writeInbound(Fixture.bytes(.byeAck))
        #expect(node.visibleState == .stopped)
        #expect(fixture.outcome == StopOutcome(reason: .signal))
        #expect(fixture.outcome?.exitCode == .clean)
        #expect(fixture.lines.last?["type"] as? String == "stop")
        #expect(fixture.lines.last?["reason"] as? String == "signal")
    }

    @Test("startup timeout: stop line startup_timeout, exit code 2, the missing VM named")
    func startupTimeout() throws {
        let fixture = try Fixture(["STARTUP_TIMEOUT": "2"])
        let node = fixture.node
        node.awaitPeers()
        fixture.loop.advanceTime(by: .seconds(1))
        #expect(node.visibleState == .waitingForPeers)
        fixture.loop.advanceTime(by: .seconds(1))
        #expect(node.visibleState == .stopped)
        let outcome = try #require(fixture.outcome)
        #expect(outcome.reason == .startupTimeout && outcome.exitCode == .userProblem)
        #expect(outcome.problem?.contains("VM 2 did not connect within 2 s (STARTUP_TIMEOUT)") == true)
        #expect(fixture.line("start") == nil)
        #expect(fixture.lines.last?["reason"] as? String == "startup_timeout")
    }
}
