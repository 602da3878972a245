import Foundation
import NIOCore

@testable import VMRuntime

/// A hand-driven peer: a raw TCP connection to a VM that speaks the peer protocol frame by frame,
/// to play a misbehaving VM (an impostor, a flooder, one that never reads).
///
/// @unchecked Sendable: a test writes from one task and reads or shuts down from another; the
/// descriptor itself is fixed until `close`, which a test calls only once no other task uses it.
final class FakePeer: @unchecked Sendable {
    let connection: RawConnection

    private init(connection: RawConnection) {
        self.connection = connection
    }

    static func connect(port: Int, receiveBuffer: Int32? = nil) async throws -> FakePeer {
        FakePeer(connection: try await RawConnection.connect(port: port, receiveBuffer: receiveBuffer))
    }

    static func encode(_ frames: [WireFrame]) -> [UInt8] {
        var buffer = ByteBuffer()
        for frame in frames { frame.encode(into: &buffer) }
        return Array(buffer.readableBytesView)
    }

    @discardableResult
    func send(_ frames: [WireFrame]) -> Bool {
        connection.send(Self.encode(frames))
    }

    /// Sends a heartbeat every 500 ms, `count` times or until cancelled, so the VM keeps the link
    /// although this peer sends nothing else.
    func keepAlive(count: Int) -> Task<Void, Never> {
        Task.detached {
            for _ in 0..<count where !Task.isCancelled {
                self.send([.heartbeat])
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// The next frame from the VM; nil if the connection closed or nothing came in time.
    func receive(timeout: Duration = .seconds(10)) async -> WireFrame? {
        guard let prefix = await connection.read(count: 4, timeout: timeout) else { return nil }
        let length = prefix.reduce(0) { $0 << 8 | Int($1) }
        guard length <= WireFrame.maximumBodyLength,
            let body = await connection.read(count: length, timeout: timeout)
        else { return nil }
        var buffer = ByteBuffer(bytes: prefix + body)
        return try? WireFrameDecoder.decodeFrame(from: &buffer)
    }

    /// Says hello as VM `id` (no secret) and returns the VM's answer.
    func hello(as id: Int, clusterSize: Int, usesSecret: Bool = false) async -> WireFrame? {
        send([
            .hello(
                PeerHello(
                    vmID: id, clusterSize: clusterSize, usesSecret: usesSecret,
                    nonce: [UInt8](repeating: 0x42, count: WireFrame.nonceLength)))
        ])
        return await receive()
    }
}
