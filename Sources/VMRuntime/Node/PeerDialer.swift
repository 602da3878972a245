import Logging
import NIOCore
import NIOPosix
import Settings

/// Keeps one outgoing connection to a peer this VM dials (a PEERS entry) alive: dials, and when
/// the attempt fails or the connection later drops, dials again after a growing pause
/// (50 ms doubling up to 1 s), until the VM stops. While the peer is linked over a connection it
/// dialed itself (both sides name each other in PEERS), it waits, and dials again when that link
/// goes. A name that does not resolve yet is a failed attempt like any other, and each attempt
/// resolves the name again, so a peer that comes back at another address is found. Lives on the
/// VM's event loop.
final class PeerDialer {
    let endpoint: PeerEndpoint
    /// Weak: a dial attempt can fail after the node is gone (a VM that gave up waiting for its
    /// peers stops while its connect attempts are still on their way), and must then do nothing.
    private weak var node: VMNode?
    private var backoff = Backoff()
    private var pendingRetry: Scheduled<Void>?
    private var cancelled = false
    private var failedAttempts = 0
    /// True while the peer is linked over its own connection and this dialer waits for it to go.
    private var waitingForLinkLoss = false

    init(endpoint: PeerEndpoint, node: VMNode) {
        self.endpoint = endpoint
        self.node = node
    }

    /// Starts one connection attempt.
    func dial() {
        guard !cancelled, let node, node.acceptsNewConnections else { return }
        if node.links[endpoint.id] != nil {
            waitingForLinkLoss = true
            return
        }
        let loop = node.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        let handler = NIOLoopBound(node.makeDialerHandler(for: endpoint.id), eventLoop: loop)
        let links = NIOLoopBound(node.links, eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: PeerChannelHandler.writeBufferMarks)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    links.value.track(channel)
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(WireFrameDecoder()), handler.value,
                    ])
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .whenFailure { error in bound.value.attemptFailed(error) }
    }

    /// The handshake succeeded: the next drop starts again from the shortest pause.
    func connected() {
        backoff.reset()
        failedAttempts = 0
    }

    /// An established or half-open connection closed: dial again after a pause. A connection
    /// that closed before its handshake ended (the peer refused it) counts as a failed attempt.
    func connectionEnded(wasLinked: Bool) {
        if !wasLinked { failedAttempts += 1 }
        retryLater()
    }

    /// True while no attempt has failed since this dialer started or last linked, and it is not
    /// waiting for a link the peer dialed to go.
    var isDialingWithoutFailure: Bool {
        !cancelled && failedAttempts == 0 && !waitingForLinkLoss
    }

    /// The link to the peer went, whichever side dialed it: if this dialer was waiting, it dials
    /// again after a pause.
    func linkLost() {
        guard waitingForLinkLoss else { return }
        waitingForLinkLoss = false
        retryLater()
    }

    /// Stops dialing for good.
    func cancel() {
        cancelled = true
        pendingRetry?.cancel()
    }

    /// A connection attempt failed: counted, said on the first and every 50th, and tried again
    /// later; nothing at all once the dialer is cancelled or its node is gone.
    func attemptFailed(_ error: any Error) {
        guard !cancelled, let node else { return }
        failedAttempts += 1
        // The first failures are expected while peers start up; say so once, then quietly retry.
        if failedAttempts == 1 || failedAttempts % 50 == 0 {
            node.logger.info("VM \(endpoint.id) at \(endpoint) not reachable yet (\(error)); retrying")
        }
        retryLater()
    }

    private func retryLater() {
        guard !cancelled, let node, node.acceptsNewConnections else { return }
        let bound = NIOLoopBound(self, eventLoop: node.eventLoop)
        pendingRetry = node.eventLoop.scheduleTask(in: backoff.next()) { bound.value.dial() }
    }
}

/// Pauses between reconnection attempts: 50 ms, doubling, at most 1 s, each stretched by a
/// random 0-25 % so two VMs retrying at once drift apart.
struct Backoff: Equatable {
    private(set) var current = TimeAmount.milliseconds(50)
    static let longest = TimeAmount.seconds(1)

    mutating func next() -> TimeAmount {
        defer { current = min(current * 2, Self.longest) }
        return current + .nanoseconds(Int64.random(in: 0...current.nanoseconds / 4))
    }

    mutating func reset() {
        current = .milliseconds(50)
    }
}
