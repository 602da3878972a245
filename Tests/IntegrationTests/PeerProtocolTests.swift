import Foundation
import Testing

@testable import Analysis
@testable import Orchestration

/// Bytes that are not a valid peer: the VM closes that connection and keeps running.
@Suite(.serialized)
struct PeerProtocolTests {
    struct BadPeer: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        /// A well-formed hello the VM refuses: it answers with a `reject` frame, then closes.
        var refusedHello: Bool

        var testDescription: String { label }
    }

    static func bigEndian<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// A hello frame: length, type 1, magic, version, VM id, cluster size, then (version 2) the
    /// flags and a 16-byte nonce (docs/protocol.md).
    static func hello(version: UInt16, vmID: UInt32, clusterSize: UInt32, usesSecret: Bool = false) -> [UInt8] {
        var body: [UInt8] =
            [1] + bigEndian(UInt32(0x4C4D_5043)) + bigEndian(version) + bigEndian(vmID) + bigEndian(clusterSize)
        if version >= 2 { body += [usesSecret ? 1 : 0] + [UInt8](repeating: 0x5A, count: 16) }
        return bigEndian(UInt32(body.count)) + body
    }

    static let cases = [
        BadPeer(
            label: "an HTTP request", bytes: Array("GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8),
            refusedHello: false),
        BadPeer(label: "a frame of unknown type", bytes: [0, 0, 0, 3, 0xEE, 0x01, 0x02], refusedHello: false),
        BadPeer(
            label: "a length prefix of 0xFFFFFFFF", bytes: [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4], refusedHello: false),
        BadPeer(
            label: "a hello of protocol version 99", bytes: hello(version: 99, vmID: 2, clusterSize: 2),
            refusedHello: true),
        BadPeer(
            label: "a version-1 hello", bytes: hello(version: 1, vmID: 2, clusterSize: 2), refusedHello: true),
        BadPeer(
            label: "a hello claiming the VM's own id", bytes: hello(version: 2, vmID: 1, clusterSize: 2),
            refusedHello: true),
    ]

    @Test("bad bytes close that connection; the VM keeps running and a real peer still joins", arguments: cases)
    func badPeerIsDisconnected(_ bad: BadPeer) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 2, logDirectory: workspace.path("logs"))
        let vm1 = try workspace.startVM(1, of: layout, tickRate: "50")

        let connection = try await RawConnection.connect(port: layout.port(1))
        defer { connection.close() }
        connection.send(bad.bytes)
        let end = await connection.readUntilClosed()
        guard case .closed(let received) = end else {
            Issue.record("VM 1 kept the connection open after \(bad.label)")
            return
        }
        if bad.refusedHello {
            #expect(received.count > 5 && received[4] == 2, "a reject frame (type 2) expected, got \(received)")
        } else {
            #expect(received.isEmpty, "nothing expected back, got \(received)")
        }
        #expect(vm1.isRunning, "\(describe([vm1]))")

        let vm2 = try workspace.startVM(2, of: layout, tickRate: "50")
        let started = await waitUntilStarted(logs: layout.logPaths, processes: [vm1, vm2])
        #expect(started, "VMs 1 and 2 should both log a start line\n\(describe([vm1, vm2]))")
        let exits = await stopAll([vm1, vm2])
        #expect(exits == [.code(0), .code(0)], "\(describe([vm1, vm2]))")

        let peerUps = EventLogs.records(layout.logPath(1)).filter { $0.kind == .peerUp }
        #expect(peerUps.map(\.peer) == [2], "only the real VM 2 joins VM 1")
        let report = try RunChecker.check(logFiles: layout.logPaths)
        #expect(report.passed, "\(report.checks.flatMap(\.examples))")
    }
}
