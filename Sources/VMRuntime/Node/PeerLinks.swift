import NIOCore
import Settings

/// This VM's connections to its peers: the established link to each connected peer, which links are
/// congested and which are not being read, where each peer is, and the dialers that keep the
/// outgoing links (the PEERS entries) alive.
///
/// It keeps the connections and their bookkeeping; what a link coming or going means for the run
/// (the `peer_up` and `peer_down` lines, the start, the stop protocol) the node decides. Owned by
/// the node and used only on the VM's event loop.
///
/// A class, not a struct: closing or writing to a connection can call back into the node at once
/// (`connectionClosed`, `becameWritable`), which then updates these links again; a struct inside
/// the node would be under exclusive access for the whole call.
final class PeerLinks {
    /// How often each link gets a heartbeat: every second, or less often for a VM with more than
    /// `heartbeatsPerSecond` neighbours, so it sends at most about that many a second (in a full
    /// mesh of hundreds of VMs on one host, heartbeats would otherwise be most of the work).
    let heartbeatInterval: TimeAmount
    /// How long an established link may stay silent (no frame at all) before it counts as dead:
    /// five heartbeat intervals (5 s for up to `heartbeatsPerSecond` neighbours).
    let silenceTimeout: TimeAmount
    static let heartbeatsPerSecond = 64

    init(neighbourCount: Int) {
        let seconds = max(1, Double(neighbourCount) / Double(Self.heartbeatsPerSecond))
        heartbeatInterval = .milliseconds(Int64((seconds * 1000).rounded()))
        silenceTimeout = heartbeatInterval * 5
    }
    /// The reason the node gives when it closes its links at the end of a clean stop.
    static let stoppingReason = "stopping"

    /// The words every refusal of a crossing dial carries (`crossingDialRefusal`), so both ends
    /// can tell it from a real problem.
    static let crossingDialMarker = "both VMs dial each other"

    /// Why a connection is refused when two VMs dial each other and another connection is kept:
    /// the one VM `dialer` dialed.
    static func crossingDialRefusal(keeping dialer: Int, _ detail: String) -> String {
        "\(crossingDialMarker): keeping the connection VM \(dialer) dialed (\(detail))"
    }

    /// Whether this dialer's peer is to be linked over this dialer's connection rather than over one
    /// the peer dials: true while an attempt is on its way and none has failed since it started
    /// or last linked (see `VMNode.refusalToLink`).
    func isDialingFirst(_ peer: Int) -> Bool {
        dialers[peer]?.isDialingWithoutFailure ?? false
    }

    /// The established connection of each linked peer.
    private var byPeer: [Int: PeerChannelHandler] = [:]
    /// Peers whose link is up but holds more unsent bytes than its high mark: sends to them are
    /// logged as dropped until it drains.
    private var congested: Set<Int> = []
    /// Connections whose reading is paused because the queue reached `VMNode.queueLimit`.
    private var unread: [ObjectIdentifier: PeerChannelHandler] = [:]
    /// Where each peer is, for `/status`: the dialed address, or where an inbound link came from.
    private(set) var addresses: [Int: String] = [:]
    /// One dialer per PEERS entry.
    private var dialers: [Int: PeerDialer] = [:]
    /// Every peer channel not closed yet, linked or not: dialing, handshaking, retired. The stop
    /// closes them all before the event loop ends (see `closeEveryChannel`).
    private var channels: [ObjectIdentifier: any Channel] = [:]

    /// The link to `peer`, if it is linked.
    subscript(peer: Int) -> PeerChannelHandler? { byPeer[peer] }

    /// How many peers are linked.
    var count: Int { byPeer.count }

    /// The linked peers.
    var linkedPeers: Set<Int> { Set(byPeer.keys) }

    /// Whether `connection` is the link to `peer`.
    func isLink(_ connection: PeerChannelHandler, of peer: Int) -> Bool {
        byPeer[peer] === connection
    }

    /// Whether `connection` would conflict with the link to `peer`: both sides dialed each other
    /// and the link we have is the one to keep. When two VMs dial each other, the connection the
    /// lower id dialed is kept, on both sides, so both keep the same one whichever handshake ends
    /// first. A connection in the same direction as the link replaces it (the peer restarted, or
    /// the old link died unnoticed).
    func conflicts(_ connection: PeerChannelHandler, with peer: Int, localID: Int) -> Bool {
        guard let existing = byPeer[peer], existing !== connection, existing.isDialer != connection.isDialer else {
            return false
        }
        let newOneDialedByLowerID = connection.isDialer == (localID < peer)
        return !newOneDialedByLowerID
    }

    // MARK: Linking

    /// Makes `connection` the link to `peer`, reached at `address` (a link it replaces was taken
    /// out with `removeLink(of:replacedBy:)` first).
    func link(_ connection: PeerChannelHandler, to peer: Int, address: String) {
        byPeer[peer] = connection
        dialers[peer]?.connected()
        addresses[peer] = address
    }

    /// Takes out the link to `peer` if it is another connection than `connection` (which is about
    /// to replace it), with its congestion and paused reading, and returns it for the caller to log
    /// and close.
    func removeLink(of peer: Int, replacedBy connection: PeerChannelHandler) -> PeerChannelHandler? {
        guard let stale = byPeer[peer], stale !== connection else { return nil }
        unlink(peer)
        unread[ObjectIdentifier(stale)] = nil
        return stale
    }

    /// Forgets the link to `peer` (and its congestion); the caller logs why. A dialer that waited
    /// while the peer was linked over the peer's own connection dials again.
    func unlink(_ peer: Int) {
        byPeer[peer] = nil
        congested.remove(peer)
        dialers[peer]?.linkLost()
    }

    /// A connection closed: it is no longer waiting to be read again.
    func forgetClosed(_ connection: PeerChannelHandler) {
        unread[ObjectIdentifier(connection)] = nil
    }

    /// If `connection` was dialed, its dialer dials again after a pause.
    func redial(after connection: PeerChannelHandler) {
        if case .dialer(let peer) = connection.role {
            dialers[peer]?.connectionEnded(wasLinked: connection.peerID != nil)
        }
    }

    /// Closes every link and forgets them (the end of a stop).
    func closeAll(reason: String) {
        for link in byPeer.values { link.close(reason: reason) }
        byPeer.removeAll()
        congested.removeAll()
    }

    /// Keeps `channel` (a new peer channel, dialed or accepted) until it closes.
    func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels[key] = channel
        channel.closeFuture.assumeIsolated().whenComplete { [weak self] _ in self?.channels[key] = nil }
    }

    /// Closes every peer channel still open (connecting, handshaking, retired); completes once
    /// all are closed, so none is left for the event loop's shutdown to tear down.
    func closeEveryChannel(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let open = Array(channels.values)
        for channel in open { channel.close(promise: nil) }
        return EventLoopFuture.andAllComplete(open.map(\.closeFuture), on: eventLoop)
    }

    // MARK: Sending

    /// Queues `frame` on the link of each of `recipients` that is linked; `flushAll` writes them.
    func send(_ frame: WireFrame, to recipients: [Int]) {
        for recipient in recipients { byPeer[recipient]?.send(frame) }
    }

    /// Writes what every link has queued.
    func flushAll() {
        for link in byPeer.values { link.flush() }
    }

    /// Drops what every link has queued but not written.
    func discardPendingAll() {
        for link in byPeer.values { link.discardPending() }
    }

    /// Sends `bye` on every link at once.
    func sayByeToAll() {
        for link in byPeer.values {
            link.send(.bye)
            link.flush()
        }
    }

    // MARK: Congestion

    /// Notes that `peer`'s link is over its high mark; true if it was not congested before.
    func markCongested(_ peer: Int) -> Bool {
        congested.insert(peer).inserted
    }

    /// Notes that `peer`'s link drained; true if it was congested.
    func markDrained(_ peer: Int) -> Bool {
        congested.remove(peer) != nil
    }

    // MARK: Reading

    /// Whether some connection is not being read.
    var hasUnreadConnections: Bool { !unread.isEmpty }

    /// Stops reading from `connection` until `resumeReading`.
    func pauseReading(_ connection: PeerChannelHandler) {
        connection.setReading(false)
        unread[ObjectIdentifier(connection)] = connection
    }

    /// Reads from every paused connection again.
    func resumeReading() {
        for connection in unread.values { connection.setReading(true) }
        unread.removeAll()
    }

    // MARK: Health

    /// A heartbeat on every link that takes bytes; a link silent for `silenceTimeout` (a dead peer,
    /// a cut network) is closed, so it is logged as down and redialed instead of counting as
    /// connected forever.
    func checkHealth(at now: NIODeadline) {
        for link in byPeer.values {
            if !link.readingPaused && now - link.lastHeard > silenceTimeout {
                link.close(reason: "no frame from the peer for \(silenceTimeout.nanoseconds / 1_000_000_000) s")
            } else if link.isWritable {
                link.sendNow(.heartbeat)
            }
        }
    }

    // MARK: Dialing

    /// Starts a dialer for each of `endpoints` (this VM's PEERS).
    func startDialing(_ endpoints: [PeerEndpoint], node: VMNode) {
        for endpoint in endpoints {
            let dialer = PeerDialer(endpoint: endpoint, node: node)
            dialers[endpoint.id] = dialer
            dialer.dial()
        }
    }

    /// Stops every dialer for good.
    func cancelDialing() {
        for dialer in dialers.values { dialer.cancel() }
    }
}
