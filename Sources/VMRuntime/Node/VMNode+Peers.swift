import LamportCore

/// What the peer connections report: handshakes to admit, links up and down, messages, the stop
/// protocol's frames. Connections run on the node's event loop and call in directly.
extension VMNode: PeerConnectionDelegate {
    func admit(_ hello: PeerHello, on connection: PeerChannelHandler) -> String? {
        let vmID = hello.vmID
        let clusterSize = hello.clusterSize
        if clusterSize != settings.totalVMs {
            return "cluster size \(clusterSize) does not match this VM's TOTAL_VMS \(settings.totalVMs)"
        }
        if case .dialer(let expected) = connection.role, expected != vmID {
            return "expected VM \(expected) at this address, found VM \(vmID)"
        }
        if !(1...settings.totalVMs).contains(vmID) || vmID == settings.vmID {
            return "unknown VM id \(vmID) (this cluster has VMs 1-\(settings.totalVMs); this VM is \(settings.vmID))"
        }
        if !settings.neighbourIDs.contains(vmID) {
            return "VM \(vmID) is not a neighbour of VM \(settings.vmID) (topology \(settings.topology))"
        }
        return refusalToLink(vmID, over: connection)
    }

    /// Why `connection` may not become the link to `peer` now, or nil. Asked at `hello` and again
    /// when the handshake ends (with a secret, one round trip later).
    ///
    /// A new connection in the same direction as the link we have replaces it once established
    /// (the peer restarted, or its side of the old link died without us noticing yet); one in the
    /// other direction means both sides dial, and the one the lower id dialed is kept (on both
    /// sides; see `PeerLinks.conflicts`).
    ///
    /// Before any link, the lower id refuses the higher one's dial while its own first attempt to
    /// that peer is on its way: so two VMs that start together link once, over the lower id's
    /// connection, instead of linking twice and replacing one. Once its attempts fail (the peer
    /// cannot be reached from here), it takes the peer's dial.
    private func refusalToLink(_ peer: Int, over connection: PeerChannelHandler) -> String? {
        let lower = min(peer, settings.vmID)
        if links.conflicts(connection, with: peer, localID: settings.vmID) {
            return PeerLinks.crossingDialRefusal(keeping: lower, "already linked")
        }
        if !connection.isDialer, settings.vmID < peer, links[peer] == nil, links.isDialingFirst(peer) {
            return PeerLinks.crossingDialRefusal(keeping: lower, "VM \(lower) is dialing VM \(peer)")
        }
        if !acceptsNewConnections {
            return "VM \(settings.vmID) is stopping"
        }
        return nil
    }

    func connectionEstablished(_ connection: PeerChannelHandler) {
        guard let peer = connection.peerID else { return }
        if links.conflicts(connection, with: peer, localID: settings.vmID) {
            // The two dials crossed and the peer may already use this connection as its link
            // (and send on it) until it gets the one the lower id dialed: read it to its end.
            connection.retire()
            logCrossing(with: peer)
            return
        }
        if let refusal = refusalToLink(peer, over: connection) {
            connection.close(reason: refusal)
            return
        }
        let address: String
        if case .dialer = connection.role, let endpoint = settings.peers.first(where: { $0.id == peer }) {
            address = endpoint.description
        } else {
            address = connection.remoteAddress
        }
        if let crossing = links[peer], crossing.isDialer != connection.isDialer {
            // Both VMs dialed, and this is the connection the lower id dialed: the peer keeps it
            // too. The link goes on over it; the other is retired, read to its end, not cut.
            _ = links.removeLink(of: peer, replacedBy: connection)
            crossing.retire()
            links.link(connection, to: peer, address: address)
            logCrossing(with: peer)
            return
        }
        if let stale = links.removeLink(of: peer, replacedBy: connection) {
            if let line = core.peerDisconnected(peer, reason: "replaced by a new connection") { write(line) }
            dropHeldCopies(for: peer)
            stale.close(reason: "replaced by a new connection from VM \(peer)")
            logger.info("VM \(peer) connected again; the new connection replaces the old one")
        }
        links.link(connection, to: peer, address: address)
        write(core.peerConnected(peer, extra: [LogField(.address, .string(address))]))
        logger.info("VM \(peer) connected from \(connection.remoteAddress)")
        startTickingIfAllLinked()
    }

    /// The two VMs dialed each other and the connection the lower id dialed is kept.
    private func logCrossing(with peer: Int) {
        logger.info(
            "VM \(peer) and this VM dialed each other: keeping the connection VM \(min(peer, settings.vmID)) dialed")
    }

    func connection(_ connection: PeerChannelHandler, received message: PeerMessage, duplicate: Bool) {
        guard core.deliver(message, duplicate: duplicate) else {
            connection.close(reason: "bad frame: message clock or send_seq outside 1-\(LamportClock.maximumStamp)")
            return
        }
        if core.queueLength >= Self.queueLimit && !state.isStopping && !connection.readingPaused {
            links.pauseReading(connection)
            logger.warning(
                "queue holds \(core.queueLength) messages (the limit): not reading from VM \(message.from) until it drains"
            )
        }
    }

    func connection(_ connection: PeerChannelHandler, becameWritable writable: Bool) {
        guard let peer = connection.peerID, links.isLink(connection, of: peer), !state.isStopped else { return }
        if !writable, links.markCongested(peer) {
            if let line = core.peerDisconnected(peer, reason: "send_buffer_full") { write(line) }
            logger.warning("VM \(peer) is not reading: sends to it are dropped until its link drains")
        } else if writable, links.markDrained(peer) {
            write(core.peerConnected(peer, extra: [LogField(.address, .string(links.addresses[peer] ?? "unknown"))]))
            logger.info("VM \(peer) reads again")
        }
    }

    func connectionSaidBye(_ connection: PeerChannelHandler) {
        guard let peer = connection.peerID else { return }
        // What the faults still hold for the peer goes to it now, before the acknowledgement
        // (after which nothing more may be sent to it): it receives it, or logs it unprocessed.
        if !faults.isIdle {
            let held = faults.drain(to: peer)
            if !held.isEmpty {
                log.flush()
                for entry in held { connection.send(Self.frame(of: entry.copy)) }
            }
        }
        connection.send(.byeAck)
        connection.flush()
        if links.isLink(connection, of: peer) {
            links.unlink(peer)
            if let line = core.peerDisconnected(peer, reason: "peer_stopped") { write(line) }
            logger.info("VM \(peer) is stopping")
        }
    }

    func connectionAckedBye(_ connection: PeerChannelHandler) {
        guard let peer = connection.peerID else { return }
        byeAcknowledged(by: peer)
    }

    func connectionClosed(_ connection: PeerChannelHandler, reason: String) {
        links.forgetClosed(connection)
        guard !state.isStopped else { return }  // our own closing at the end of a clean stop
        if let peer = connection.peerID, links.isLink(connection, of: peer) {
            links.unlink(peer)
            if let line = core.peerDisconnected(peer, reason: reason) { write(line) }
            dropHeldCopies(for: peer)
            logger.warning("lost VM \(peer): \(reason)")
            byeAcknowledged(by: peer)
        } else if connection.peerID == nil, reason.contains(PeerLinks.crossingDialMarker) {
            logger.info(
                "closed a connection \(connection.isDialer ? "to" : "from") \(connection.remoteAddress): \(reason)")
        } else if connection.peerID == nil, reason != PeerLinks.stoppingReason {
            logger.warning(
                "closed a connection \(connection.isDialer ? "to" : "from") \(connection.remoteAddress): \(reason)")
        }
        links.redial(after: connection)
    }
}
