import NIOCore

/// The events a peer connection reports to the VM that owns it. All calls happen on the VM's
/// event loop.
protocol PeerConnectionDelegate: AnyObject {
    /// Decides whether a peer's `hello` is accepted; returns the reason to refuse it, or nil.
    func admit(version: UInt16, vmID: Int, clusterSize: Int, on connection: PeerChannelHandler) -> String?
    func connectionEstablished(_ connection: PeerChannelHandler)
    func connection(_ connection: PeerChannelHandler, received message: PeerMessage)
    func connectionSaidBye(_ connection: PeerChannelHandler)
    func connectionAckedBye(_ connection: PeerChannelHandler)
    /// The connection is gone; `reason` says why (a protocol error, the peer closing, ...).
    func connectionClosed(_ connection: PeerChannelHandler, reason: String)
}

/// One TCP connection to a peer VM: runs the handshake, then turns frames into calls on its
/// delegate and outgoing messages into frames.
///
/// Frames written with `send` are gathered into one buffer and written by `flush`, so a burst of
/// ticks costs one write per peer. Everything runs on the channel's event loop, which is the VM's.
final class PeerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = WireFrame
    typealias OutboundOut = ByteBuffer

    enum Role: Equatable {
        /// We dialed this connection, expecting the peer with this id.
        case dialer(expecting: Int)
        case acceptor
    }

    enum State: Equatable {
        case awaitingHello
        case established(peer: Int)
        case closed
    }

    let role: Role
    let localID: Int
    let clusterSize: Int
    private(set) var state: State = .awaitingHello
    private weak var delegate: (any PeerConnectionDelegate)?
    private var context: ChannelHandlerContext?
    private var pending: ByteBuffer?
    /// Why we are closing, if we decided to; reported when the channel goes inactive.
    private var closeReason: String?

    init(role: Role, localID: Int, clusterSize: Int, delegate: any PeerConnectionDelegate) {
        self.role = role
        self.localID = localID
        self.clusterSize = clusterSize
        self.delegate = delegate
    }

    /// The peer's id once the handshake is done (kept after the connection closes).
    private(set) var peerID: Int?

    /// The remote address, for logs.
    var remoteAddress: String {
        guard let address = context?.channel.remoteAddress else { return "unknown" }
        if let ip = address.ipAddress, let port = address.port { return "\(ip):\(port)" }
        return "\(address)"
    }

    // MARK: Sending

    /// Buffers a frame; it goes out with the next `flush()`.
    func send(_ frame: WireFrame) {
        guard let context, state != .closed else { return }
        if pending == nil { pending = context.channel.allocator.buffer(capacity: 4096) }
        frame.encode(into: &pending!)
    }

    /// Writes all buffered frames to the socket.
    func flush() {
        guard let context, var buffer = pending, buffer.readableBytes > 0 else { return }
        pending = nil
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        buffer.clear()
    }

    /// Forgets the frames buffered since the last flush.
    func discardPending() {
        pending = nil
    }

    /// Flushes, then closes the connection, reporting `reason` to the delegate.
    func close(reason: String) {
        flush()
        if closeReason == nil { closeReason = reason }
        context?.close(promise: nil)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// How long a new connection may take to say hello before it is closed.
    static let handshakeTimeout = TimeAmount.seconds(5)

    func channelActive(context: ChannelHandlerContext) {
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.handshakeTimeout) {
            if self.state == .awaitingHello { self.close(reason: "no hello within 5 s") }
        }
        if case .dialer = role {
            send(.hello(version: WireFrame.protocolVersion, vmID: localID, clusterSize: clusterSize))
            flush()
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch state {
        case .awaitingHello:
            handshake(frame)
        case .established(let peer):
            switch frame {
            case .message(let sendSeq, let clock):
                delegate?.connection(self, received: PeerMessage(from: peer, sendSeq: sendSeq, clock: clock))
            case .bye:
                delegate?.connectionSaidBye(self)
            case .byeAck:
                delegate?.connectionAckedBye(self)
            case .hello, .reject:
                close(reason: "protocol error: unexpected \(frame) after the handshake")
            }
        case .closed:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let reason: String
        if let wireError = error as? WireFormatError {
            reason = "bad frame: \(wireError)"
        } else if let decoderError = error as? ByteToMessageDecoderError {
            reason = "bad frame: \(decoderError)"
        } else {
            reason = "connection error: \(error)"
        }
        close(reason: reason)
    }

    func channelInactive(context: ChannelHandlerContext) {
        let wasState = state
        state = .closed
        pending = nil
        if wasState != .closed {
            delegate?.connectionClosed(self, reason: closeReason ?? "connection closed by peer")
        }
        context.fireChannelInactive()
    }

    private func handshake(_ frame: WireFrame) {
        switch frame {
        case .hello(let version, let vmID, let size):
            if let refusal = delegate?.admit(version: version, vmID: vmID, clusterSize: size, on: self) {
                send(.reject(reason: refusal))
                close(reason: "handshake refused: \(refusal)")
                return
            }
            if role == .acceptor {
                send(.hello(version: WireFrame.protocolVersion, vmID: localID, clusterSize: clusterSize))
                flush()
            }
            state = .established(peer: vmID)
            peerID = vmID
            delegate?.connectionEstablished(self)
        case .reject(let reason):
            close(reason: "peer refused the handshake: \(reason)")
        default:
            close(reason: "protocol error: expected hello, got \(frame)")
        }
    }
}
