import LamportCore
import NIOCore

/// What the control plane needs from the node: snapshots out, config changes in.
extension VMNode {
    /// Publishes the current state for the control plane.
    func publish() {
        var snapshot = VMSnapshot(
            vmID: settings.vmID, totalVMs: settings.totalVMs, tuning: core.tuning, startedAt: startedAt)
        snapshot.state = visibleState
        snapshot.clock = core.clock.value
        snapshot.queueLength = core.queueLength
        snapshot.measuredTickRate = measuredTickRate(at: NIODeadline.now().uptimeNanoseconds)
        let counters = core.counters
        snapshot.internalEvents = counters.internalEvents
        snapshot.sendEvents = counters.sendEvents
        snapshot.receiveEvents = counters.receiveEvents
        snapshot.lastSeq = core.nextSeq - 1
        snapshot.faults = faults.faults
        snapshot.peers = core.peers.map { peer in
            PeerStatus(
                id: peer, address: links.addresses[peer] ?? settings.peers.first { $0.id == peer }?.description,
                connected: core.connectedPeers.contains(peer), sent: counters.sentTo[peer] ?? 0,
                received: counters.receivedFrom[peer] ?? 0, dropped: counters.droppedTo[peer] ?? 0)
        }
        board.publish(snapshot)
    }

    /// Notes the tick count after a batch, for the measured tick rate.
    func recordRateSample(at now: UInt64) {
        rateMeter.record(at: now, ticks: core.counters.tickEvents)
    }

    /// Ticks per second as `TickRateMeter` measures them while the VM runs; 0 otherwise.
    func measuredTickRate(at now: UInt64) -> Double {
        visibleState == .running ? rateMeter.rate(at: now) : 0
    }

    /// Applies a config change from the next tick on: logs a `config` line listing what changed,
    /// re-anchors the tick schedule when the rate or pause changed, and returns the new tuning.
    /// Before the start the change is kept for it: the `start` line and the schedule read the
    /// tuning from the core. Returns nil, changing nothing, once the VM is stopping.
    func apply(_ change: ConfigChange) -> VMTuning? {
        guard !state.isEnding else { return nil }
        var tuning = core.tuning
        if let rate = change.tickRate { tuning.tickRate = rate }
        if let maxAction = change.maxAction { tuning.maxAction = maxAction }
        if let paused = change.paused { tuning.paused = paused }
        guard tuning != core.tuning else { return tuning }
        let before = core.tuning
        write(core.retune(tuning))
        if before.tickRate != tuning.tickRate || before.paused != tuning.paused {
            rateMeter.retune(at: NIODeadline.now().uptimeNanoseconds)
            if case .ticking(let loop, _) = state {
                if tuning.paused { loop.halt() } else { resumeTicking(loop) }
            }
        }
        publish()
        return tuning
    }
}
