import LamportCore
import NIOCore

/// The events a peer connection reports to the VM that owns it. All calls happen on the VM's
/// event loop.
protocol PeerConnectionDelegate: AnyObject {
    /// Decides whether a peer's `hello` is accepted; returns the reason to refuse it, or nil.
    func admit(_ hello: PeerHello, on connection: PeerChannelHandler) -> String?
    func connectionEstablished(_ connection: PeerChannelHandler)
    /// A message arrived; `duplicate` when it came in a `duplicate` frame (a second copy).
    func connection(_ connection: PeerChannelHandler, received message: PeerMessage, duplicate: Bool)
    func connectionSaidBye(_ connection: PeerChannelHandler)
    func connectionAckedBye(_ connection: PeerChannelHandler)
    /// The connection's outgoing buffer crossed the high (`writable` false) or low (true) mark.
    func connection(_ connection: PeerChannelHandler, becameWritable writable: Bool)
    /// The connection is gone; `reason` says why (a protocol error, the peer closing, ...).
    func connectionClosed(_ connection: PeerChannelHandler, reason: String)
}

/// One TCP connection to a peer VM: runs the handshake (`PeerHandshake`), then turns frames into
/// calls on its delegate and outgoing messages into frames.
///
/// Frames written with `send` are gathered into one buffer and written by `flush`, so a burst of
/// ticks costs one write per peer. Everything runs on the channel's event loop, which is the VM's.
final class PeerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = WireFrame
    typealias OutboundOut = ByteBuffer

    enum State: Equatable {
        case handshaking
        case established(peer: Int)
        case closed
    }

    /// How long a new connection may take to finish the handshake before it is closed: long
    /// enough for a host that starts a thousand VMs at once on two cores.
    static let handshakeTimeout = TimeAmount.seconds(15)
    /// Bytes waiting to be sent above which the connection reports itself not writable, and the
    /// mark below which it is writable again: a peer that stops reading holds at most about this.
    static let writeBufferMarks = ChannelOptions.Types.WriteBufferWaterMark(low: 256 * 1024, high: 1024 * 1024)

    let role: PeerHandshake.Role
    let localID: Int
    private(set) var state: State = .handshaking
    private var handshake: PeerHandshake
    private weak var delegate: (any PeerConnectionDelegate)?
    private var context: ChannelHandlerContext?
    private var pending: ByteBuffer?
    private var handshakeTimer: Scheduled<Void>?
    /// Why we are closing, if we decided to; reported when the channel goes inactive.
    private var closeReason: String?
    /// True once this connection stopped being the link (`retire()`): it sends nothing more and
    /// is read until the peer closes its side.
    private(set) var isRetired = false
    private var retireTimer: Scheduled<Void>?
    /// When bytes last arrived (the end of the last read), or the connection opened.
    private(set) var lastHeard = NIODeadline.now()
    /// Whether reading is paused (the VM's queue is full); a paused link is not timed out.
    private(set) var readingPaused = false

    init(
        role: PeerHandshake.Role, localID: Int, clusterSize: Int, secret: PeerSecret?,
        delegate: any PeerConnectionDelegate
    ) {
        self.role = role
        self.localID = localID
        var nonce = [UInt8](repeating: 0, count: WireFrame.nonceLength)
        var generator = SystemRandomNumberGenerator()
        for index in nonce.indices { nonce[index] = generator.next() }
        self.handshake = PeerHandshake(
            role: role, localID: localID, clusterSize: clusterSize, secret: secret, nonce: nonce)
        self.delegate = delegate
    }

    /// The peer's id once the handshake is done (kept after the connection closes).
    private(set) var peerID: Int?

    var isDialer: Bool {
        if case .dialer = role { true } else { false }
    }

    /// The remote address, for logs.
    var remoteAddress: String {
        guard let address = context?.channel.remoteAddress else { return "unknown" }
        if let ip = address.ipAddress, let port = address.port { return "\(ip):\(port)" }
        return "\(address)"
    }

    /// Whether the connection takes more bytes without passing its high mark.
    var isWritable: Bool { context?.channel.isWritable ?? false }

    // MARK: Sending

    /// Buffers a frame; it goes out with the next `flush()`.
    func send(_ frame: WireFrame) {
        guard let context, state != .closed else { return }
        if pending == nil { pending = context.channel.allocator.buffer(capacity: 4096) }
        frame.encode(into: &pending!)
    }

    /// Writes all buffered frames to the socket.
    func flush() {
        guard let context, let buffer = pending, buffer.readableBytes > 0 else { return }
        pending = nil
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    /// Writes one frame at once, ahead of frames buffered by `send` (for heartbeats, which carry
    /// nothing that must follow the log).
    func sendNow(_ frame: WireFrame) {
        guard let context, state != .closed else { return }
        var buffer = context.channel.allocator.buffer(capacity: 8)
        frame.encode(into: &buffer)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
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

    /// Stops using this established connection as the link without losing what is on its way:
    /// sends what is buffered, closes the sending side (the peer reads everything up to there),
    /// and goes on reading (and delivering) until the peer closes its side too, which it does when
    /// it retires the same connection. If the peer never does, it closes after `retireTimeout`.
    /// Used when two VMs dialed each other and both keep the other connection.
    func retire() {
        guard let context, case .established = state, !isRetired else { return }
        flush()
        isRetired = true
        setReading(true)
        context.close(mode: .output, promise: nil)
        retireTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.retireTimeout) { [weak self] in
            self?.close(reason: "retired")
        }
    }

    /// How long a retired connection waits for the peer to close its side.
    static let retireTimeout = TimeAmount.seconds(5)

    /// Stops (or resumes) reading from the socket: TCP then holds the peer back.
    func setReading(_ reading: Bool) {
        guard let context, readingPaused == reading else { return }
        readingPaused = !reading
        if reading { lastHeard = .now() }
        context.channel.setOption(.autoRead, value: reading).whenFailure { _ in }
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The context holds this handler: dropping it here breaks the cycle.
        self.context = nil
        handshakeTimer?.cancel()
        handshakeTimer = nil
        retireTimer?.cancel()
        retireTimer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        lastHeard = .now()
        handshakeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.handshakeTimeout) { [weak self] in
            guard let self, self.state == .handshaking else { return }
            self.close(reason: "handshake not finished within \(Self.handshakeTimeout.nanoseconds / 1_000_000_000) s")
        }
        for frame in handshake.opening { send(frame) }
        flush()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch state {
        case .handshaking:
            continueHandshake(with: frame)
        case .established(let peer):
            switch frame {
            case .message(let sendSeq, let clock):
                delegate?.connection(
                    self, received: PeerMessage(from: peer, sendSeq: sendSeq, clock: clock), duplicate: false)
            case .duplicate(let sendSeq, let clock):
                delegate?.connection(
                    self, received: PeerMessage(from: peer, sendSeq: sendSeq, clock: clock), duplicate: true)
            case .bye:
                delegate?.connectionSaidBye(self)
            case .byeAck:
                delegate?.connectionAckedBye(self)
            case .heartbeat:
                break
            case .hello, .reject, .auth:
                close(reason: "protocol error: unexpected \(frame.name) after the handshake")
            }
        case .closed:
            break
        }
    }

    /// Once per read from the socket, however many frames it held: the link is alive.
    func channelReadComplete(context: ChannelHandlerContext) {
        lastHeard = .now()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .established = state, context.channel.isActive {
            delegate?.connection(self, becameWritable: context.channel.isWritable)
        }
        context.fireChannelWritabilityChanged()
    }

    /// The peer closed its sending side (connections allow half-closure so a retired connection
    /// can be read to its end): a retired connection is done; any other closes, as it always did.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if isRetired, closeReason == nil { closeReason = "retired" }
        context.close(promise: nil)
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
        handshakeTimer?.cancel()
        if wasState != .closed {
            delegate?.connectionClosed(self, reason: closeReason ?? "connection closed by peer")
        }
        context.fireChannelInactive()
    }

    private func continueHandshake(with frame: WireFrame) {
        let delegate = delegate
        let step = handshake.receive(frame) { hello in
            guard let delegate else { return "VM \(localID) is stopping" }
            return delegate.admit(hello, on: self)
        }
        switch step {
        case .proceed(let frames):
            for frame in frames { send(frame) }
            flush()
        case .established(let peer, let frames):
            for frame in frames { send(frame) }
            flush()
            handshakeTimer?.cancel()
            state = .established(peer: peer)
            peerID = peer
            delegate?.connectionEstablished(self)
        case .refuse(let reason):
            send(.reject(reason: reason))
            close(reason: "handshake refused: \(reason)")
        case .fail(let reason):
            close(reason: reason)
        }
    }
}
