import EventLog
import LamportCore
import Logging
import NIOCore
import NIOPosix
import Settings

/// The real-time driver of one VM: runs its `VMCore` on one NIO event loop with real time,
/// real TCP connections to its peers, and the event log file.
///
/// All state lives here and is touched only on `eventLoop` (principle: one owner per state). The
/// peer connections run on the same loop and call in directly; other threads reach the node
/// through the event loop (`eventLoop.execute`), never by touching its state directly.
///
/// The node is a state machine (`NodeState`): it waits for its peers, ticks (its `TickLoop`), then
/// runs the stop protocol (its `ByeRound`) and stops. Its parts, one file each:
///
/// - here: the state, starting, and waiting for the peers;
/// - `VMNode+Ticking`: the batches of ticks and the log flushes;
/// - `VMNode+Stopping`: the stop protocol;
/// - `VMNode+Peers`: what the peer connections report (`PeerConnectionDelegate`);
/// - `VMNode+Control`: snapshots for the control plane and config changes from it.
///
/// The tuning (tick rate, max action, paused) has one source of truth, `core.tuning`: the schedule,
/// the `start` line, `/config`, `/status` and the metrics all read it from there.
final class VMNode {
    let settings: VMSettings
    let eventLoop: any EventLoop
    var core: VMCore
    /// Where the node is in its life, with what that stage owns. Moves to another state go through
    /// `enter`; assigning it directly only updates what the current state owns (the `ByeRound`).
    var state: NodeState = .idle
    /// The event log (`vm<ID>.jsonl`), closed at the stop.
    let log: EventLogFile
    let logger: Logger
    /// Completed with the outcome once the VM has stopped (`outcome`).
    let finished: EventLoopPromise<StopOutcome>
    /// The connections to the peers, their dialers and their bookkeeping.
    let links: PeerLinks
    /// The cluster's PEER_SECRET, if set: every handshake must prove it.
    let peerSecret: PeerSecret?
    /// The peer listener, once bound; closed at the stop.
    private(set) var listener: (any Channel)?
    /// Where the control plane reads this VM's state.
    let board: SnapshotBoard
    /// Monotonic time (ns) the process started, copied into every snapshot.
    let startedAt: UInt64
    let metrics: VMMetrics?
    /// The measured tick rate, from the tick count after each batch.
    var rateMeter = TickRateMeter()
    /// Publishes a snapshot every 100 ms, from the wait for the peers to the stop.
    private(set) var publishTimer: RepeatedTask?
    /// Checks the links' health (`PeerLinks.checkHealth`), from the wait for the peers to the stop.
    private(set) var heartbeatTimer: RepeatedTask?
    /// The active faults and the copies they hold back (`VMNode+Faults`); its draws come from the
    /// fault stream of the VM's seed, apart from the action rolls.
    var faults: FaultSet
    /// Wakes the faults at their `nextWakeup` (due copies, ends), and when it is armed for.
    var faultTimer: Scheduled<Void>?
    var faultTimerDue: Int64?

    /// How long a stopping VM waits for its peers to acknowledge its `bye`: 3 s, plus 40 ms a
    /// neighbour beyond 2 (a VM of a full mesh of hundreds exchanges that many goodbyes while all
    /// of them stop at once on a few cores).
    static let byeTimeout = TimeAmount.seconds(3)
    var byeTimeout: TimeAmount {
        Self.byeTimeout + .milliseconds(40 * Int64(max(0, settings.neighbourIDs.count - 2)))
    }
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
        self.links = PeerLinks(neighbourCount: settings.neighbourIDs.count)
        self.core = VMCore(
            id: settings.vmID, peers: settings.neighbourIDs,
            tuning: settings.initialTuning, random: SeededRandom(seed: settings.seed, vmID: settings.vmID),
            resumingAfter: log.lastLine)
        self.faults = FaultSet(
            vmID: settings.vmID, peers: settings.neighbourIDs,
            random: FaultRandom(seed: settings.seed, vmID: settings.vmID))
    }

    /// Completes when the VM has stopped and its log is closed.
    var outcome: EventLoopFuture<StopOutcome> { finished.futureResult }

    /// The state the control plane sees.
    var visibleState: VMState { state.visible(paused: core.tuning.paused) }

    /// Moves to `newState`: cancels the timer the state it leaves owns, then sets it.
    func enter(_ newState: NodeState) {
        state.cancelTimer()
        state = newState
    }

    // MARK: Starting

    /// Binds the peer listener, then waits for the peers (`awaitPeers`).
    /// Fails (and the VM is not started) when the listener cannot bind.
    func start() -> EventLoopFuture<Void> {
        eventLoop.preconditionInEventLoop()
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let settings = settings
        return ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Every neighbour above this VM dials it at once when a cluster starts; the kernel caps
            // the backlog at net.core.somaxconn.
            .serverChannelOption(.backlog, value: 4096)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: PeerChannelHandler.writeBufferMarks)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let node = bound.value
                    node.links.track(channel)
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
                if !settings.ignoredPeerIDs.isEmpty {
                    let ignored = settings.ignoredPeerIDs.map(String.init).joined(separator: ", ")
                    node.logger.warning(
                        "PEERS entries for VMs \(ignored) ignored: not neighbours of VM \(settings.vmID) (topology \(settings.topology))"
                    )
                }
                node.awaitPeers()
            }
    }

    /// `idle` -> `waitingForPeers`: arms the startup timeout, dials the PEERS, starts publishing
    /// snapshots and checking the links, and starts at once if there is no peer to wait for.
    func awaitPeers() {
        guard case .idle = state else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let startupTimeout = eventLoop.scheduleTask(in: settings.startupTimeoutAmount) {
            bound.value.startupTimedOut()
        }
        enter(.waitingForPeers(startupTimeout: startupTimeout))
        links.startDialing(settings.peers, node: self)
        publishTimer = eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) {
            _ in bound.value.publish()
        }
        heartbeatTimer = eventLoop.scheduleRepeatedTask(
            initialDelay: links.heartbeatInterval, delay: links.heartbeatInterval
        ) { _ in bound.value.links.checkHealth(at: .now()) }
        startTickingIfAllLinked()
    }

    private func startupTimedOut() {
        guard case .waitingForPeers = state else { return }
        let missing = settings.neighbourIDs.filter { links[$0] == nil }
        let list = missing.map(String.init).joined(separator: ", ")
        let seconds =
            settings.startupTimeout == settings.startupTimeout.rounded()
            ? String(Int(settings.startupTimeout)) : String(settings.startupTimeout)
        stop(
            reason: .startupTimeout,
            problem:
                "startup timeout: neighbour VM\(missing.count == 1 ? "" : "s") \(list) did not connect within \(seconds) s "
                + "(STARTUP_TIMEOUT); are they running and is PEERS right?")
    }

    /// `waitingForPeers` -> `ticking` once every peer is linked: arms the RUN_TIME limit (so RUN_TIME
    /// counts from the `start` line), writes the `start` line with the tuning as it is now (a change
    /// may have come before) and starts the tick loop unless paused.
    func startTickingIfAllLinked() {
        guard case .waitingForPeers = state, links.count == settings.neighbourIDs.count else { return }
        let tuning = core.tuning
        let loop = TickLoop(rate: tuning.tickRate)
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let runTimeLimit = settings.runTimeAmount.map { runTime in
            eventLoop.scheduleTask(in: runTime) { bound.value.stop(reason: .runTime) }
        }
        enter(.ticking(loop, runTimeLimit: runTimeLimit))
        var extra: [LogField] = [
            LogField(.tickRate, tuning.tickRate.logValue),
            LogField(.maxAction, .int(tuning.maxAction)),
            LogField(.totalVMs, .int(settings.totalVMs)),
            LogField(.peers, .ints(settings.neighbourIDs)),
            LogField(.topology, .string(settings.topology.description)),
            LogField(.seed, .int(Int(settings.seed))),
            LogField(.port, .int(settings.port)),
        ]
        if let previous = log.lastLine { extra.append(LogField(.resumedAfterSeq, .int(previous.seq))) }
        write(core.start(extra: extra))
        let linked = "all \(settings.neighbourIDs.count) neighbours connected"
        logger.info(
            "\(linked) (topology \(settings.topology), \(settings.totalVMs) VMs); ticking at \(tuning.tickRate)/s, max_action \(tuning.maxAction)"
        )
        if !tuning.paused { resumeTicking(loop) }
        publish()
    }

    /// Closes the log of a node that never started (its listener could not bind).
    func abandon() {
        enter(.stopped)
        log.close()
        finished.succeed(StopOutcome(exitCode: .userProblem, problem: nil))
    }

    /// Writes a lifecycle line straight through (they are rare).
    func write(_ event: VMEvent) {
        guard !state.isStopped else { return }
        log.append(event, at: logTime(.now()))
        log.flush()
        publish()
    }

    // MARK: Dialing support

    /// Whether a dialer should keep trying, and a new link may be made (false once the VM stops).
    var acceptsNewConnections: Bool { !state.isEnding }

    /// Builds the pipeline of an outgoing connection to `peer`.
    func makeDialerHandler(for peer: Int) -> PeerChannelHandler {
        PeerChannelHandler(
            role: .dialer(expecting: peer), localID: settings.vmID, clusterSize: settings.totalVMs,
            secret: peerSecret, delegate: self)
    }
}
