import LamportCore
import NIOCore

/// The faults (DESIGN "Faults"): the node's `FaultSet` on its loop, fed from the control plane,
/// consulted per send when not idle, woken by one timer at `nextWakeup`.
///
/// Times given to the `FaultSet` are wall-clock microseconds (`WallTime`), so `started` and `ends`
/// read as dates on `GET /faults`; the timer converts them to a delay from now.
extension VMNode {
    /// Runs a command of the control plane on the loop. Nil once the VM is stopping (the faults
    /// went with the copies they held).
    func apply(_ command: FaultCommand) -> FaultReply? {
        guard !state.isEnding else { return nil }
        let now = WallTime.now().microseconds
        let reply: FaultReply
        switch command {
        case .add(let request):
            do {
                let fault = try faults.add(request, at: now)
                write(core.faultStarted(fault))
                reply = .added(fault)
            } catch {
                return .rejected(error)
            }
        case .remove(let id):
            guard let fault = faults.remove(id: id, at: now) else { return .unknownID }
            write(core.faultEnded(fault, reason: "removed"))
            reply = .removed
        case .removeAll:
            for fault in faults.removeAll(at: now) { write(core.faultEnded(fault, reason: "healed")) }
            reply = .removed
        }
        // A heal may have released held copies (due now), an added fault may end by itself.
        sendDueCopies(at: now)
        armFaultTimer()
        publish()
        return reply
    }

    /// The log time of a line written at `time`: shifted by the active `clock_skew` faults.
    func logTime(_ time: WallTime) -> WallTime {
        WallTime(microseconds: time.microseconds + faults.clockSkewMicroseconds)
    }

    /// Routes the copies of one send through the faults (called only when they are not idle):
    /// queues on the links the copies to send now, keeps the rest, and returns the recipients
    /// whose copy a loss destroyed (for the `send` line's `lost`) and whether a frame was queued.
    func routeThroughFaults(
        _ message: PeerMessage, to recipients: [Int], at time: WallTime
    ) -> (
        lost: [Int], queued: Bool
    ) {
        var lost: [Int] = []
        var queued = false
        for recipient in recipients {
            let fate = faults.route(message, to: recipient, at: time.microseconds)
            if fate.lostTo != nil { lost.append(recipient) }
            for copy in fate.immediate {
                links.send(Self.frame(of: copy), to: [copy.recipient])
                queued = true
            }
        }
        armFaultTimer()
        return (lost, queued)
    }

    /// Arms the timer at the faults' `nextWakeup`, unless one is armed at or before it.
    func armFaultTimer() {
        guard let wakeup = faults.nextWakeup else { return }
        if let armed = faultTimerDue, armed <= wakeup { return }
        faultTimer?.cancel()
        let delay = max(0, wakeup - WallTime.now().microseconds)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        faultTimerDue = wakeup
        faultTimer = eventLoop.scheduleTask(in: .microseconds(delay)) { bound.value.faultTimerFired() }
    }

    /// Ends the faults whose duration passed (`heal` lines), sends the copies now due, re-arms.
    private func faultTimerFired() {
        faultTimer = nil
        faultTimerDue = nil
        guard !state.isEnding else { return }
        let now = WallTime.now().microseconds
        let ended = faults.expire(at: now)
        for fault in ended { write(core.faultEnded(fault, reason: "expired")) }
        sendDueCopies(at: now)
        armFaultTimer()
        if !ended.isEmpty { publish() }
    }

    /// Writes the held-back copies due at `now`: the log first (their `send` lines), then the
    /// frames. A copy whose recipient is not linked any more gets a `drop` line instead.
    private func sendDueCopies(at now: Int64) {
        let due = faults.due(at: now)
        guard !due.isEmpty else { return }
        sendOrDrop(due)
        guard flushLog() else { return }
        links.flushAll()
        publish()
    }

    /// Queues each copy on its recipient's link, or, when the recipient is not linked any more,
    /// appends its `drop` line; the caller flushes the log and then the links.
    private func sendOrDrop(_ copies: [OutgoingCopy]) {
        let linked = links.linkedPeers
        for copy in copies {
            if linked.contains(copy.recipient) {
                links.send(Self.frame(of: copy), to: [copy.recipient])
            } else {
                log.append(core.copyDropped(copy), at: logTime(.now()))
            }
        }
    }

    /// The link to `peer` went away (it broke, or a new connection from a restarted `peer`
    /// replaced it): what the faults held for it never reaches that process, as data in flight on
    /// a broken connection, so each copy gets a `drop` line (analyze counts it as dropped).
    func dropHeldCopies(for peer: Int) {
        guard !faults.isIdle else { return }
        for entry in faults.drain(to: peer) { write(core.copyDropped(entry.copy)) }
        armFaultTimer()
    }

    /// At a clean stop, before the `bye`: every copy still held back (delayed, or held by a
    /// partition) is sent, so the peers receive it (or log it `unprocessed`) before they
    /// acknowledge the `bye`; then every fault ends (`heal` lines, reason `stopped`).
    func releaseFaultsForStop() {
        faultTimer?.cancel()
        faultTimer = nil
        faultTimerDue = nil
        let now = WallTime.now().microseconds
        let pending = faults.drain()
        sendOrDrop(pending.map(\.copy))
        for fault in faults.removeAll(at: now) { write(core.faultEnded(fault, reason: "stopped")) }
        if !pending.isEmpty {
            log.flush()
            links.flushAll()
        }
    }

    /// The frame of `copy`: a `duplicate` frame for a copy a `duplicate` fault made.
    static func frame(of copy: OutgoingCopy) -> WireFrame {
        copy.duplicatedBy == nil
            ? .message(sendSeq: copy.message.sendSeq, clock: copy.message.clock)
            : .duplicate(sendSeq: copy.message.sendSeq, clock: copy.message.clock)
    }
}
