import NIOCore
import NIOEmbedded
import Testing

@testable import LamportCore
@testable import VMRuntime

/// A peer connection's handler in an EmbeddedChannel: the handshake on the wire, and no handler
/// outliving its connection.
struct PeerChannelHandlerTests {
    final class Recorder: PeerConnectionDelegate {
        var established: [Int] = []
        var messages: [PeerMessage] = []
        var duplicates: [PeerMessage] = []
        var closed: [String] = []

        func admit(_ hello: PeerHello, on connection: PeerChannelHandler) -> String? { nil }
        func connectionEstablished(_ connection: PeerChannelHandler) { established.append(connection.peerID ?? -1) }
        func connection(_ connection: PeerChannelHandler, received message: PeerMessage, duplicate: Bool) {
            if duplicate { duplicates.append(message) } else { messages.append(message) }
        }
        func connectionSaidBye(_ connection: PeerChannelHandler) {}
        func connectionAckedBye(_ connection: PeerChannelHandler) {}
        func connection(_ connection: PeerChannelHandler, becameWritable writable: Bool) {}
        func connectionClosed(_ connection: PeerChannelHandler, reason: String) { closed.append(reason) }
    }

    static func frameBytes(_ frame: WireFrame) -> ByteBuffer {
        var buffer = ByteBuffer()
        frame.encode(into: &buffer)
        return buffer
    }

    @Test("an acceptor answers hello, takes messages and duplicates, and closes on a clock above 2^53-1")
    func acceptorFlow() throws {
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(WireFrameDecoder()),
            PeerChannelHandler(role: .acceptor, localID: 1, clusterSize: 2, secret: nil, delegate: recorder),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let hello = PeerHello(vmID: 2, clusterSize: 2, usesSecret: false, nonce: Array(repeating: 5, count: 16))
        try channel.writeInbound(Self.frameBytes(.hello(hello)))
        #expect(recorder.established == [2])
        var reply = try #require(try channel.readOutbound(as: ByteBuffer.self))
        guard case .hello(let answer)? = try WireFrameDecoder.decodeFrame(from: &reply) else {
            Issue.record("expected a hello back")
            return
        }
        #expect(answer.vmID == 1)

        try channel.writeInbound(Self.frameBytes(.message(sendSeq: 3, clock: 9)))
        #expect(recorder.messages == [PeerMessage(from: 2, sendSeq: 3, clock: 9)])
        try channel.writeInbound(Self.frameBytes(.duplicate(sendSeq: 3, clock: 9)))
        #expect(recorder.duplicates == [PeerMessage(from: 2, sendSeq: 3, clock: 9)], "a duplicate frame is a copy")

        var huge = ByteBuffer(bytes: [0, 0, 0, 17, 3, 0, 0, 0, 0, 0, 0, 0, 4])
        huge.writeInteger(UInt64(Int64.max))
        _ = try? channel.writeInbound(huge)
        channel.embeddedEventLoop.run()
        #expect(recorder.closed.count == 1)
        #expect(recorder.closed.first?.hasPrefix("bad frame: message frame with send_seq or clock above") == true)
        #expect(recorder.messages.count == 1)
    }

    @Test("a handler is freed once its connection is closed (none leak per accepted connection)")
    func noLeak() throws {
        let recorder = Recorder()
        weak var weakHandler: PeerChannelHandler?
        for _ in 0..<3 {
            try {
                let channel = EmbeddedChannel()
                let handler = PeerChannelHandler(
                    role: .acceptor, localID: 1, clusterSize: 2, secret: nil, delegate: recorder)
                weakHandler = handler
                try channel.pipeline.syncOperations.addHandlers([ByteToMessageHandler(WireFrameDecoder()), handler])
                try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
                try channel.close().wait()
                channel.embeddedEventLoop.run()
            }()
            #expect(weakHandler == nil, "the handler of a closed connection is still alive")
        }
    }
}
