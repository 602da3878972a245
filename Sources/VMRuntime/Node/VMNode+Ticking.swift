import LamportCore
import NIOCore

/// Ticking: batches of ticks on the `TickLoop`'s schedule, their messages and log flushes.
extension VMNode {
    /// Re-anchors `loop` at now with the tuning's rate and arms its first batch (the start, a rate
    /// change, a resume).
    func resumeTicking(_ loop: TickLoop) {
        loop.restart(at: NIODeadline.now().uptimeNanoseconds, rate: core.tuning.tickRate)
        armNextBatch(of: loop)
    }

    /// Arms the next batch of `loop` (see `TickLoop.nextBatchDeadline`).
    private func armNextBatch(of loop: TickLoop) {
        let generation = loop.generation
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let due = loop.nextBatchDeadline(after: NIODeadline.now().uptimeNanoseconds)
        eventLoop.scheduleTask(deadline: .uptimeNanoseconds(due)) { bound.value.runBatch(generation: generation) }
    }

    /// Runs every tick that is due (up to `TickLoop.batchLimit`), writes the messages, and arms the
    /// next batch. Does nothing if the batch is stale (a pause, a rate change or the stop came since).
    private func runBatch(generation: Int) {
        guard case .ticking(let loop, _) = state, loop.isCurrent(generation) else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        if let lateness = loop.lateness(at: now) { metrics?.recordTickLateness(nanoseconds: lateness) }
        var ran = 0
        var sent = false
        let time = WallTime.now()
        let logTime = logTime(time)
        while ran < TickLoop.batchLimit && loop.isDue(at: now) && !core.clock.isExhausted {
            if runTick(at: time, logTime: logTime) { sent = true }
            loop.recordTick()
            ran += 1
        }
        if sent {
            // The log reaches the OS before the messages leave: even a SIGKILL then loses no
            // logged send whose message a peer received.
            guard flushLog() else { return }
            links.flushAll()
        } else {
            armLogFlush(of: loop)
        }
        if core.clock.isExhausted {
            // Peers refuse stamps above 2^53 - 1; a clock only gets here if a peer sent one at the
            // limit (no run lasts the centuries ticking there would take).
            stop(
                reason: .clockExhausted,
                problem: "the Lamport clock reached \(core.clock.value), the largest stamp a message may carry "
                    + "(2^53 - 1); a peer sent a stamp that close to it")
            return
        }
        if links.hasUnreadConnections && core.queueLength <= Self.queueLimit / 2 { links.resumeReading() }
        recordRateSample(at: now)
        publish()
        armNextBatch(of: loop)
    }

    /// Runs one tick: logs its event and queues its message on the recipients' links. Returns
    /// whether a message was queued. With faults active (`faults.isIdle` false) each copy goes
    /// through them first, and the `send` line lists the copies they destroyed in `lost`.
    private func runTick(at time: WallTime, logTime: WallTime) -> Bool {
        let clockBefore = core.clock.value
        let outcome = core.tick()
        if outcome.event.kind == .receive { metrics?.recordClockJump(outcome.event.clock - clockBefore - 1) }
        if outcome.outgoing != nil && !faults.isIdle { return sendThroughFaults(outcome, at: time, logTime: logTime) }
        // Without faults, the path of a build without them: the line, then the frames.
        log.append(outcome.event, at: logTime)
        guard let (message, recipients) = outcome.outgoing else { return false }
        links.send(WireFrame.message(sendSeq: message.sendSeq, clock: message.clock), to: recipients)
        return true
    }

    /// A send while faults are active: its copies go through them, and its line lists in `lost`
    /// the copies they destroyed. Kept out of `runTick` so the path without faults stays as small.
    @inline(never)
    private func sendThroughFaults(_ outcome: VMCore.TickOutcome, at time: WallTime, logTime: WallTime) -> Bool {
        guard let (message, recipients) = outcome.outgoing else { return false }
        let (lost, queued) = routeThroughFaults(message, to: recipients, at: time)
        var event = outcome.event
        event.recordLost(lost)
        log.append(event, at: logTime)
        return queued
    }

    /// Writes the buffered lines; on a write error, stops the VM (saying why) and returns false.
    func flushLog() -> Bool {
        log.flush()
        guard let failure = log.writeError else { return true }
        // Ticking on would count events the log cannot hold. Frames of lines that did not reach
        // the log are not sent.
        links.discardPendingAll()
        stop(reason: .logWriteFailed, problem: failure.description)
        return false
    }

    /// Flushes the log within `TickLoop.logFlushDelay` unless something flushes it sooner.
    private func armLogFlush(of loop: TickLoop) {
        guard loop.claimLogFlush() else { return }
        let node = NIOLoopBound(self, eventLoop: eventLoop)
        let armedBy = NIOLoopBound(loop, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: TickLoop.logFlushDelay) {
            armedBy.value.logFlushed()
            if !node.value.state.isStopped { _ = node.value.flushLog() }
        }
    }
}
