import DequeModule
import Logging
import NIOCore
import NIOPosix

/// The real-time driver of one VM: runs its `VMCore` on one NIO event loop with real time,
/// real TCP connections to its peers, and the event log file.
///
/// All state lives here and is touched only on `eventLoop` (principle: one owner per state). The
/// peer connections run on the same loop and call in directly; other threads reach the node
/// through the event loop (`eventLoop.execute`), never by touching its state directly.
final class VMNode {
    let settings: VMSettings
    let eventLoop: any EventLoop
    var core: VMCore
    var state: VMState = .waitingForPeers
    private let log: EventLogFile
    let logger: Logger
    private let finished: EventLoopPromise<StopOutcome>

    /// The connections to the peers, their dialers and their bookkeeping.
    let links = PeerLinks()
    /// The cluster's PEER_SECRET, if set: every handshake must prove it.
    let peerSecret: PeerSecret?
    private var listener: (any Channel)?
    private var schedule: TickSchedule
    /// Bumped whenever the tick timer is rearmed, so a stale scheduled batch does nothing.
    private var tickGeneration = 0
    private var awaitingByeAcks: Set<Int> = []
    private var stopReason: StopReason = .signal
    private var timers: [Scheduled<Void>] = []
    /// Whether the running batch queued frames (then the log is flushed before they leave).
    private var batchHasMessages = false
    private var logFlushArmed = false
    /// Where the control plane reads this VM's state.
    let board: SnapshotBoard
    /// Monotonic time (ns) the process started, copied into every snapshot.
    let startedAt: UInt64
    let metrics: VMMetrics?
    /// The measured tick rate, from the tick count after each batch.
    var rateMeter = TickRateMeter()
    private var publishTimer: RepeatedTask?
    private var heartbeatTimer: RepeatedTask?

    /// Largest number of ticks run in one go before the loop turns to network IO again.
    private static let batchLimit = 512
    /// How long a stopping VM waits for its peers to acknowledge its `bye`.
    static let byeTimeout = TimeAmount.seconds(3)
    /// Queue length at which the VM stops reading from its peers (TCP then holds them back); it
    /// reads again once the queue is down to half of it.
    static let queueLimit = 100_000
    /// How far past `queueLimit` the queue can grow: the frames of the read that crossed it (NIO
    /// reads up to 4 times 64 KiB per wakeup, at least 21 bytes a message), per link.
    static let queueLimitSlack = 4 * 65_536 / 21

    init(
        settings: VMSettings, eventLoop: any EventLoop, log: EventLogFile, logger: Logger, board: SnapshotBoard,
        metrics: VMMetrics? = nil
    ) {
        self.settings = settings
        self.board = board
        self.startedAt = board.read(\.startedAt)
        self.metrics = metrics
        self.eventLoop = eventLoop
        self.log = log
        self.logger = logger
        self.finished = eventLoop.makePromise()
        self.peerSecret = settings.peerSecret.flatMap(PeerSecret.init)
        self.core = VMCore(
            id: settings.vmID, peers: settings.clusterPeerIDs,
            tuning: settings.initialTuning, random: SeededRandom(seed: settings.seed, vmID: settings.vmID),
            resumingAfter: log.lastLine)
        self.schedule = TickSchedule(anchor: 0, rate: settings.initialTuning.tickRate)
    }

    /// Completes when the VM has stopped and its log is closed.
    var outcome: EventLoopFuture<StopOutcome> { finished.futureResult }

    // MARK: Starting

    /// Binds the peer listener, starts dialing, and arms the startup timeout.
    /// Fails (and the VM is not started) when the listener cannot bind.
    func start() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let settings = settings
        return ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 64)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: PeerChannelHandler.writeBufferMarks)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let node = bound.value
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(WireFrameDecoder()),
                        PeerChannelHandler(
                            role: .acceptor, localID: settings.vmID, clusterSize: settings.totalVMs,
                            secret: node.peerSecret, delegate: node),
                    ])
                }
            }
            .bind(host: settings.host, port: settings.port)
            .map { channel in
                let node = bound.value
                node.listener = channel
                node.logger.info("listening for peers on \(settings.host):\(settings.port)")
                node.links.startDialing(settings.peers, node: node)
                node.armStartupTimeout()
                node.publishTimer = node.eventLoop.scheduleRepeatedTask(
                    initialDelay: .milliseconds(100), delay: .milliseconds(100)
                ) { _ in bound.value.publish() }
                node.heartbeatTimer = node.eventLoop.scheduleRepeatedTask(
                    initialDelay: PeerLinks.heartbeatInterval, delay: PeerLinks.heartbeatInterval
                ) { _ in bound.value.links.checkHealth(at: .now()) }
                node.startTickingIfAllConnected()
            }
    }

    private func armStartupTimeout() {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        timers.append(
            eventLoop.scheduleTask(in: settings.startupTimeoutAmount) {
                bound.value.startupTimedOut()
            })
    }

    private func startupTimedOut() {
        guard state == .waitingForPeers else { return }
        let missing = settings.clusterPeerIDs.filter { links[$0] == nil }
        let list = missing.map(String.init).joined(separator: ", ")
        let seconds =
            settings.startupTimeout == settings.startupTimeout.rounded()
            ? String(Int(settings.startupTimeout)) : String(settings.startupTimeout)
        stop(
            reason: .startupTimeout,
            problem: "startup timeout: VM\(missing.count == 1 ? "" : "s") \(list) did not connect within \(seconds) s "
                + "(STARTUP_TIMEOUT); are they running and is PEERS right?")
    }

    private func startTickingIfAllConnected() {
        guard state == .waitingForPeers, links.count == settings.clusterPeerIDs.count else { return }
        // The tuning as it is now: a change from the control plane may have come before the start.
        let tuning = core.tuning
        state = tuning.paused ? .paused : .running
        var extra: [LogField] = [
            LogField("tick_rate", tuning.tickRate.logValue),
            LogField("max_action", .int(tuning.maxAction)),
            LogField("total_vms", .int(settings.totalVMs)),
            LogField("peers", .ints(settings.clusterPeerIDs)),
            LogField("seed", .int(Int(settings.seed))),
            LogField("port", .int(settings.port)),
        ]
        if let previous = log.lastLine { extra.append(LogField("resumed_after_seq", .int(previous.seq))) }
        write(core.start(extra: extra))
        logger.info("all \(settings.totalVMs) VMs connected; ticking at \(tuning.tickRate)/s")
        if let runTime = settings.runTimeAmount {
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            timers.append(
                eventLoop.scheduleTask(in: runTime) {
                    bound.value.stop(reason: .runTime)
                })
        }
        if state == .running { restartTicking() }
        publish()
    }

    // MARK: Ticking

    /// Re-anchors the schedule at now and arms the first batch.
    func restartTicking() {
        schedule.reanchor(at: NIODeadline.now().uptimeNanoseconds, rate: core.tuning.tickRate)
        tickGeneration += 1
        armNextBatch()
    }

    /// Arms the next batch at the next tick's deadline, but never sooner than `ioGap` from now.
    ///
    /// NIO runs every task that is due before it polls the sockets again, so a batch that re-armed
    /// itself for "now" (unthrottled, or behind schedule) would starve the network: messages would
    /// pile up unread. Leaving a short gap lets the loop read and write between batches.
    private func armNextBatch() {
        guard state == .running else { return }
        let generation = tickGeneration
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let earliest = NIODeadline.now().uptimeNanoseconds + Self.ioGapNanoseconds
        let due = NIODeadline.uptimeNanoseconds(max(schedule.nextDue, earliest))
        eventLoop.scheduleTask(deadline: due) { bound.value.runBatch(generation: generation) }
    }

    /// The least time between two batches, for network IO (see `armNextBatch`).
    private static let ioGapNanoseconds: UInt64 = 20_000

    /// Runs every tick that is due (up to `batchLimit`), writes the messages, and arms the next batch.
    private func runBatch(generation: Int) {
        guard generation == tickGeneration, state == .running else { return }
        let now = NIODeadline.now().uptimeNanoseconds
        if schedule.interval != nil, now > schedule.nextDue {
            metrics?.recordTickLateness(nanoseconds: now - schedule.nextDue)
        }
        var ran = 0
        let time = WallTime.now()
        while ran < Self.batchLimit && schedule.isDue(at: now) && !core.clock.isExhausted {
            runTick(at: time)
            schedule.recordTick()
            ran += 1
        }
        if batchHasMessages {
            // The log reaches the OS before the messages leave: even a SIGKILL then loses no
            // logged send whose message a peer received.
            batchHasMessages = false
            guard flushLog() else { return }
            links.flushAll()
        } else {
            // Nothing leaves: the lines may wait a little, so a VM ticking fast without sending
            // does not pay a write per batch.
            armLogFlush()
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
        armNextBatch()
    }

    private func runTick(at time: WallTime) {
        let clockBefore = core.clock.value
        let outcome = core.tick()
        if outcome.event.kind == .receive { metrics?.recordClockJump(outcome.event.clock - clockBefore - 1) }
        log.append(outcome.event, at: time)
        if let (message, recipients) = outcome.outgoing {
            let frame = WireFrame.message(sendSeq: message.sendSeq, clock: message.clock)
            links.send(frame, to: recipients)
            batchHasMessages = true
        }
    }

    /// Writes the buffered lines; on a write error, stops the VM (saying why) and returns false.
    private func flushLog() -> Bool {
        log.flush()
        guard let failure = log.writeError else { return true }
        // Ticking on would count events the log cannot hold. Frames of lines that did not reach
        // the log are not sent.
        links.discardPendingAll()
        stop(reason: .logWriteFailed, problem: failure.description)
        return false
    }

    /// Flushes the log within `logFlushDelay` unless something flushes it sooner.
    private func armLogFlush() {
        guard !logFlushArmed else { return }
        logFlushArmed = true
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: Self.logFlushDelay) {
            let node = bound.value
            node.logFlushArmed = false
            if node.state != .stopped { _ = node.flushLog() }
        }
    }

    /// How long lines of batches that send nothing may stay buffered.
    static let logFlushDelay = TimeAmount.milliseconds(20)

    // MARK: Stopping

    /// Stops cleanly: no more ticks, `bye` to every peer, then (once all acknowledged, or after
    /// `byeTimeout`) the queued messages as `unprocessed` lines, the `stop` line, and the log closed.
    /// The exit code follows from `reason`; `problem` is printed on standard error.
    func stop(reason: StopReason, problem: String? = nil) {
        guard state != .stopping && state != .stopped else { return }
        state = .stopping
        stopReason = reason
        tickGeneration += 1
        publish()
        links.cancelDialing()
        pendingOutcome = StopOutcome(reason: reason, problem: problem)
        // The bye protocol needs every frame read: stopping lifts the queue limit (for at most
        // `byeTimeout`).
        links.resumeReading()
        awaitingByeAcks = links.linkedPeers
        links.sayByeToAll()
        if awaitingByeAcks.isEmpty {
            finishStop()
        } else {
            let bound = NIOLoopBound(self, eventLoop: eventLoop)
            timers.append(eventLoop.scheduleTask(in: Self.byeTimeout) { bound.value.byeTimedOut() })
        }
    }

    private var pendingOutcome = StopOutcome(reason: .signal)

    private func byeTimedOut() {
        guard state == .stopping else { return }
        let missing = awaitingByeAcks.sorted().map(String.init).joined(separator: ", ")
        logger.warning("no goodbye acknowledgement from VM \(missing); stopping anyway")
        finishStop()
    }

    private func finishStop() {
        guard state == .stopping else { return }
        state = .stopped
        let now = WallTime.now()
        for line in core.stop(reason: stopReason.rawValue) { log.append(line, at: now) }
        log.close()
        publishTimer?.cancel()
        heartbeatTimer?.cancel()
        publish()
        for timer in timers { timer.cancel() }
        links.closeAll(reason: PeerLinks.stoppingReason)
        let outcome = pendingOutcome
        let promise = finished
        if let listener {
            listener.close().whenComplete { _ in promise.succeed(outcome) }
        } else {
            promise.succeed(outcome)
        }
    }

    /// Closes the log of a node that never started (its listener could not bind).
    func abandon() {
        state = .stopped
        log.close()
        finished.succeed(StopOutcome(exitCode: .userProblem, problem: nil))
    }

    /// Writes a lifecycle line straight through (they are rare).
    func write(_ event: VMEvent) {
        guard state != .stopped else { return }
        log.append(event, at: .now())
        log.flush()
        publish()
    }

    // MARK: Dialing support

    /// Whether a dialer should keep trying (false once the VM stops).
    var acceptsNewConnections: Bool { state == .waitingForPeers || state == .running || state == .paused }

    /// Builds the pipeline of an outgoing connection to `peer`.
    func makeDialerHandler(for peer: Int) -> PeerChannelHandler {
        PeerChannelHandler(
            role: .dialer(expecting: peer), localID: settings.vmID, clusterSize: settings.totalVMs,
            secret: peerSecret, delegate: self)
    }

}

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
        if !settings.clusterPeerIDs.contains(vmID) {
            return "unknown VM id \(vmID) (this cluster has VMs 1-\(settings.totalVMs); this VM is \(settings.vmID))"
        }
        return refusalToLink(vmID, over: connection)
    }

    /// Why `connection` may not become the link to `peer` now, or nil. Asked at `hello` and again
    /// when the handshake ends (with a secret, one round trip later).
    ///
    /// A new connection in the same direction as the link we have replaces it once established
    /// (the peer restarted, or its side of the old link died without us noticing yet); one in the
    /// other direction means both sides dial, and the first link stays.
    private func refusalToLink(_ peer: Int, over connection: PeerChannelHandler) -> String? {
        if links.conflicts(connection, with: peer) {
            return "duplicate VM id \(peer): already connected"
        }
        if !acceptsNewConnections {
            return "VM \(settings.vmID) is stopping"
        }
        return nil
    }

    func connectionEstablished(_ connection: PeerChannelHandler) {
        guard let peer = connection.peerID else { return }
        if let refusal = refusalToLink(peer, over: connection) {
            connection.close(reason: refusal)
            return
        }
        if let stale = links.removeLink(of: peer, other: connection) {
            if let line = core.peerDisconnected(peer, reason: "replaced by a new connection") { write(line) }
            stale.close(reason: "replaced by a new connection from VM \(peer)")
            logger.info("VM \(peer) connected again; the new connection replaces the old one")
        }
        let address: String
        if case .dialer = connection.role, let endpoint = settings.peers.first(where: { $0.id == peer }) {
            address = endpoint.description
        } else {
            address = connection.remoteAddress
        }
        links.link(connection, to: peer, address: address)
        write(core.peerConnected(peer, extra: [LogField("address", .string(address))]))
        logger.info("VM \(peer) connected from \(connection.remoteAddress)")
        startTickingIfAllConnected()
    }

    func connection(_ connection: PeerChannelHandler, received message: PeerMessage) {
        guard core.deliver(message) else {
            connection.close(reason: "bad frame: message clock or send_seq outside 1-\(LamportClock.maximumStamp)")
            return
        }
        if core.queueLength >= Self.queueLimit && state != .stopping && !connection.readingPaused {
            links.pauseReading(connection)
            logger.warning(
                "queue holds \(core.queueLength) messages (the limit): not reading from VM \(message.from) until it drains"
            )
        }
    }

    func connection(_ connection: PeerChannelHandler, becameWritable writable: Bool) {
        guard let peer = connection.peerID, links.isLink(connection, of: peer), state != .stopped else { return }
        if !writable, links.markCongested(peer) {
            if let line = core.peerDisconnected(peer, reason: "send_buffer_full") { write(line) }
            logger.warning("VM \(peer) is not reading: sends to it are dropped until its link drains")
        } else if writable, links.markDrained(peer) {
            write(core.peerConnected(peer, extra: [LogField("address", .string(links.addresses[peer] ?? "unknown"))]))
            logger.info("VM \(peer) reads again")
        }
    }

    func connectionSaidBye(_ connection: PeerChannelHandler) {
        guard let peer = connection.peerID else { return }
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
        awaitingByeAcks.remove(peer)
        if state == .stopping && awaitingByeAcks.isEmpty { finishStop() }
    }

    func connectionClosed(_ connection: PeerChannelHandler, reason: String) {
        links.forgetClosed(connection)
        guard state != .stopped else { return }  // our own closing at the end of a clean stop
        if let peer = connection.peerID, links.isLink(connection, of: peer) {
            links.unlink(peer)
            if let line = core.peerDisconnected(peer, reason: reason) { write(line) }
            logger.warning("lost VM \(peer): \(reason)")
            if state == .stopping {
                awaitingByeAcks.remove(peer)
                if awaitingByeAcks.isEmpty { finishStop() }
            }
        } else if connection.peerID == nil, reason != PeerLinks.stoppingReason {
            logger.warning("closed a connection from \(connection.remoteAddress): \(reason)")
        }
        links.redial(after: connection)
    }
}
