import EventLog
import LamportCore
import Logging
import MicroHTTP
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle
import Settings
import SystemCalls

/// One VM process: opens the event log, starts the node on its own event loop, and runs until
/// RUN_TIME, SIGTERM or SIGINT, then stops cleanly. This is what `vmserver run` calls.
public struct VirtualMachine: Service {
    public let settings: VMSettings
    private let logger: Logger
    private let outcomeBox = OutcomeBox()

    public init(settings: VMSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Runs one VM with signal handling and returns the process exit code: `.clean` (0) after a
    /// stop for RUN_TIME, SIGTERM or SIGINT; `.failure` (1) when the log could not be written, the
    /// clock ran out or something unexpected went wrong; `.userProblem` (2) for a problem the user
    /// must fix (unwritable LOG_DIR, a port in use or a host that is not this machine's, startup
    /// timeout). Any code but `.clean` comes with one line on standard error saying why.
    public static func runProcess(settings: VMSettings, logger: Logger) async -> VMExitCode {
        let machine = VirtualMachine(settings: settings, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: machine, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: Logger(label: "lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })))
        do {
            try await group.run()
        } catch {
            return machine.outcomeBox.record(StopOutcome(exitCode: .failure, problem: "\(error)"))
        }
        return machine.outcomeBox.exitCode
    }

    /// The `Service` entry point, which `runProcess` runs in a `ServiceGroup`: runs the VM until
    /// it stops (RUN_TIME, the group's graceful shutdown on SIGTERM or SIGINT, or a failure) and
    /// records the outcome for `runProcess`, printing its problem, if any, on standard error. It
    /// does not throw: every failure becomes the outcome's exit code. Call it once per value.
    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let outcome = await run(on: group.next())
        try? await group.shutdownGracefully()
        outcomeBox.record(outcome)
    }

    private func run(on loop: any EventLoop) async -> StopOutcome {
        let settings = settings
        let logger = logger
        var initial = VMSnapshot(
            vmID: settings.vmID, totalVMs: settings.totalVMs,
            tuning: settings.initialTuning,
            startedAt: NIODeadline.now().uptimeNanoseconds)
        initial.peers = settings.neighbourIDs.map { peer in
            PeerStatus(
                id: peer, address: settings.peers.first { $0.id == peer }?.description, connected: false, sent: 0,
                received: 0, dropped: 0)
        }
        let board = SnapshotBoard(initial)
        let metrics = VMMetrics()
        let node: NIOLoopBound<VMNode>
        let recentLog: RecentLog
        do {
            (node, recentLog) = try await loop.submit {
                let log = try EventLogFile(directory: settings.logDirectory, vmID: settings.vmID)
                let node = VMNode(
                    settings: settings, eventLoop: loop, log: log, logger: logger, board: board, metrics: metrics)
                return (NIOLoopBound(node, eventLoop: loop), log.recent)
            }.get()
        } catch {
            return StopOutcome(exitCode: .userProblem, problem: "invalid LOG_DIR: \(error)")
        }
        let controlPlane = ControlPlane(
            settings: settings, board: board, recentLog: recentLog, metrics: metrics,
            applyChange: { change in
                try? loop.submit { node.value.apply(change) }.wait()
            },
            applyFault: { command in
                (try? loop.submit { node.value.apply(command) }.wait()) ?? nil
            })
        let server: HTTPServer
        do {
            server = try HTTPServer(
                host: settings.controlHost, port: settings.controlPort, handler: controlPlane.handle)
        } catch {
            loop.execute { node.value.abandon() }
            return StopOutcome(exitCode: .userProblem, problem: ListenProblem.control(settings).explain(error))
        }
        defer { server.stop() }
        do {
            try await loop.flatSubmit { node.value.start() }.get()
        } catch {
            loop.execute { node.value.abandon() }
            return StopOutcome(exitCode: .userProblem, problem: ListenProblem.peers(settings).explain(error))
        }
        logger.info("control plane on http://\(settings.controlHost):\(server.port)")
        let outcome: StopOutcome
        do {
            outcome = try await withGracefulShutdownHandler {
                try await loop.flatSubmit { node.value.outcome }.get()
            } onGracefulShutdown: {
                loop.execute { node.value.stop(reason: .signal) }
            }
        } catch {
            return StopOutcome(exitCode: .failure, problem: "\(error)")
        }
        await serveAfterStop()
        return outcome
    }

    /// SERVE_AFTER_STOP: the control plane (still up: the caller stops it) keeps answering for
    /// that long after the stop, with state `stopped` and the whole log on `GET /log`, unless a
    /// SIGTERM or SIGINT (also the one that stopped the VM) ends it first.
    private func serveAfterStop() async {
        guard let seconds = settings.serveAfterStop else { return }
        logger.info("stopped; the control plane stays up for \(seconds) s (SERVE_AFTER_STOP) or until SIGTERM")
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded())))
        }
    }
}

/// Carries the stop outcome out of the service (which ServiceLifecycle runs) to the caller.
private final class OutcomeBox: Sendable {
    private let storage = NIOLockedValueBox<StopOutcome?>(nil)

    @discardableResult
    func record(_ outcome: StopOutcome) -> VMExitCode {
        storage.withLockedValue { $0 = outcome }
        if let problem = outcome.problem {
            StandardError.write("vmserver: \(problem)\n")
        }
        return outcome.exitCode
    }

    var exitCode: VMExitCode {
        storage.withLockedValue { $0?.exitCode ?? .clean }
    }
}
