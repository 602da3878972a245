import LamportCore
import NIOCore

/// Stopping: the stop protocol (docs/protocol.md), from `stop` to the `stop` line.
extension VMNode {
    /// Stops cleanly: no more ticks, `bye` to every peer, then (once all acknowledged, or after
    /// `byeTimeout`) the queued messages as `unprocessed` lines, the `stop` line, and the log closed.
    /// The exit code follows from `reason`; `problem` is printed on standard error. Does nothing
    /// once stopping.
    func stop(reason: StopReason, problem: String? = nil) {
        guard !state.isEnding else { return }
        // Leaving `ticking` drops the tick loop: no armed batch runs any more.
        enter(.stopping(ByeRound(reason: reason, problem: problem, awaiting: links.linkedPeers)))
        publish()
        links.cancelDialing()
        // The bye protocol needs every frame read: stopping lifts the queue limit (for at most
        // `byeTimeout`).
        links.resumeReading()
        releaseFaultsForStop()
        links.sayByeToAll()
        // A link that failed as it was written to may have ended the round already.
        guard case .stopping(var round) = state else { return }
        if round.isComplete {
            finishStop()
        } else {
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            round.timeout = eventLoop.scheduleTask(in: byeTimeout) { bound.value.byeTimedOut() }
            state = .stopping(round)
        }
    }

    /// `peer` acknowledged the `bye`, or its link is gone while stopping; the last one ends the stop.
    func byeAcknowledged(by peer: Int) {
        guard case .stopping(var round) = state else { return }
        round.acknowledged(by: peer)
        state = .stopping(round)
        if round.isComplete { finishStop() }
    }

    private func byeTimedOut() {
        guard case .stopping(let round) = state else { return }
        let missing = round.awaiting.sorted().map(String.init).joined(separator: ", ")
        logger.warning("no goodbye acknowledgement from VM \(missing); stopping anyway")
        finishStop()
    }

    /// `stopping` -> `stopped`: writes the `unprocessed` lines and the `stop` line, closes the log,
    /// the links and the listener, and completes `outcome`.
    private func finishStop() {
        guard case .stopping(let round) = state else { return }
        enter(.stopped)
        let now = logTime(.now())
        for line in core.stop(reason: round.reason) { log.append(line, at: now) }
        log.close()
        publishTimer?.cancel()
        heartbeatTimer?.cancel()
        publish()
        links.closeAll(reason: PeerLinks.stoppingReason)
        let outcome = round.outcome
        let promise = finished
        // Nothing may be left open when the event loop shuts down: the listener, and every peer
        // channel, also those still connecting or handshaking.
        var closing: [EventLoopFuture<Void>] = listener.map { [$0.close()] } ?? []
        closing.append(links.closeEveryChannel(on: eventLoop))
        EventLoopFuture.andAllComplete(closing, on: eventLoop).whenComplete { _ in promise.succeed(outcome) }
    }
}
