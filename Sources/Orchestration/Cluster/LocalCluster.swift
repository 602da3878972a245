import EventLog
import Foundation
import LamportCore
import NIOConcurrencyHelpers
import Settings
import SystemCalls
import UnixSignals

/// N running `vmserver` processes on this host, driven over their HTTP control planes only, as
/// any script would: readiness and progress from `GET /status`, retuning with `PATCH /config`.
/// Ctrl-C (SIGINT) or SIGTERM to this process marks the run as interrupted (`InterruptSignals`).
public final class LocalCluster: Sendable {
    public let directory: String
    let vms: [VMProcess]
    let client = ControlClient()

    /// Creates the run folder (which must hold no logs yet) and starts the VMs, with a fresh
    /// PEER_SECRET for this run only (passed in their environment, written nowhere), so no process
    /// outside the run can join it as a peer. Ctrl-C (SIGINT) or SIGTERM is trapped before the
    /// first VM starts; one that comes while they are being started stops the launch: the VMs
    /// started so far are stopped (SIGTERM, then SIGKILL) and `ClusterLaunchInterrupted` is thrown.
    public init(layout: ClusterLayout, executable: String) async throws {
        try Self.checkInheritedLogLevel()
        directory = layout.directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let existing = try FileManager.default.contentsOfDirectory(atPath: directory)
        if existing.contains(where: LogFileName.looksLikeLog) {
            throw SettingsError("--out", "\(directory) already holds a run's logs; choose another folder")
        }
        vms = try layout.makeProcesses()
        await InterruptSignals.process.trap()
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
        var launchedCount = 0
        do {
            for vm in vms {
                if InterruptSignals.process.received {
                    throw ClusterLaunchInterrupted(launched: launchedCount, total: vms.count)
                }
                try vm.launch(
                    executable: executable, stderrPath: "\(directory)/vm\(vm.vmID).stderr", peerSecret: secret)
                launchedCount += 1
            }
        } catch {
            // After an interruption the VMs started get SIGTERM first, so they close their logs;
            // deinit then sends SIGKILL to any still running and releases the trap (the object was
            // whole).
            if error is ClusterLaunchInterrupted {
                _ = await Self.terminate(Array(vms.prefix(launchedCount)), waitingUpTo: 10)
            }
            throw error
        }
    }

    /// Checks the LOG_LEVEL of this process, which the VMs inherit: a bad one is the command's
    /// error (one line, exit 2), not each VM's.
    public static func checkInheritedLogLevel() throws(SettingsError) {
        if let level = ProcessInfo.processInfo.environment["LOG_LEVEL"], !level.isEmpty {
            _ = try VMSettings.parseLogLevel(level)
        }
    }

    deinit {
        InterruptSignals.process.release()
        for vm in vms { vm.kill9() }
    }

    /// Whether Ctrl-C (SIGINT) or SIGTERM came since the VMs were started (or, when the command
    /// trapped them earlier, since then).
    public var interrupted: Bool { InterruptSignals.process.received }
    public var vmIDs: [Int] { vms.map(\.vmID) }
    /// Where each VM's control plane answers.
    public var controlURLs: [ControlURL] { vms.map { ControlURL(host: "127.0.0.1", port: $0.controlPort) } }
    public var logFiles: [String] { vms.map(\.logPath) }
    /// The settings each VM was started with, as environment variables.
    public var environments: [[String: String]] { vms.map(\.environment) }

    /// One line per VM: pid, control URL, peer port, log; for a big cluster the first few and a
    /// line saying where the others are (settings.json of the run folder has every VM's ports).
    public func describe() -> String {
        let shown = vms.count > Self.summaryThreshold ? Array(vms.prefix(3)) : vms
        let lines = shown.map { vm in
            "  vm\(vm.vmID): pid \(vm.processID), control http://127.0.0.1:\(vm.controlPort), "
                + "peers on 127.0.0.1:\(vm.port), log \(vm.logPath)\n"
        }.joined()
        guard shown.count < vms.count else { return lines }
        return lines + "  ... and \(vms.count - shown.count) more VMs (their settings and ports: settings.json)\n"
    }

    /// Waits until every VM's `/status` says it ticks; the reason when it does not happen. A VM
    /// seen ticking is not asked again (its process is still watched), so a big cluster costs one
    /// round of requests per VM and a few more, not one per VM every 100 ms.
    public func waitUntilRunning(
        timeout: Double = 40, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async
        -> String?
    {
        let deadline = Date().addingTimeInterval(timeout)
        var waiting = vms
        // Said every 5 s while it lasts: a small cluster is ticking before the first.
        var lastReport = Date()
        while Date() < deadline {
            if interrupted { return "interrupted" }
            if let gone = vms.first(where: { !$0.isRunning }) {
                return "vm\(gone.vmID) exited before the cluster started; see \(directory)/vm\(gone.vmID).stderr"
            }
            var still: [VMProcess] = []
            for vm in waiting {
                let state = await StatusReport.fetch(port: vm.controlPort, client: client)?.state
                if state != VMState.running.rawValue && state != VMState.paused.rawValue { still.append(vm) }
            }
            waiting = still
            if waiting.isEmpty { return nil }
            if let progress, Date().timeIntervalSince(lastReport) >= 5 {
                lastReport = Date()
                progress(vms.count - waiting.count, vms.count)
            }
            try? await Task.sleep(for: .milliseconds(vms.count > Self.summaryThreshold ? 500 : 100))
        }
        let missing = waiting.prefix(10).map { "vm\($0.vmID)" }.joined(separator: ", ")
        return "the VMs did not all start within \(String(format: "%.0f", timeout)) s (\(waiting.count) not ticking: "
            + missing + (waiting.count > 10 ? ", ..." : "") + ")"
    }

    /// Above this many VMs the live view shows a summary instead of a line per VM, and is
    /// refreshed less often (`watchInterval`).
    static let summaryThreshold = 20

    /// Seconds between two rounds of `GET /status` of the live view: 0.5 s, longer for big
    /// clusters (a round asks every VM once), about 200 requests a second at most.
    var watchInterval: Double { max(0.5, Double(vms.count) / 200) }

    /// Every VM's status, nil where a VM does not answer.
    public func statuses() async -> [StatusReport?] {
        var result: [StatusReport?] = []
        for vm in vms { result.append(await StatusReport.fetch(port: vm.controlPort, client: client)) }
        return result
    }

    /// The id of a VM whose process has exited though the plan did not kill it, if any.
    public var exitedVM: Int? { vms.first(where: \.exitedUnplanned)?.vmID }

    /// The VMs the plan has killed and not started again.
    public var killedVMs: Set<Int> { Set(vms.filter { $0.condition == .killedByPlan }.map(\.vmID)) }

    /// The VMs started again after a planned kill that have not been seen running yet.
    public var restartingVMs: Set<Int> { Set(vms.filter { $0.condition == .restarting }.map(\.vmID)) }

    /// Kills VM `vm` as the plan says (SIGKILL, so it leaves its log as a crash does) and waits
    /// (up to 10 s) until its process is gone; its exit is no failure of the run.
    func kill(vm: Int) async {
        guard let process = vms.first(where: { $0.vmID == vm }) else { return }
        process.killByPlan()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Starts VM `vm` again after a planned kill, with the same settings and log; returns its new
    /// process id. It counts as restarting until `markRunning(vm:)`.
    func restart(vm: Int) throws -> Int32 {
        guard let process = vms.first(where: { $0.vmID == vm }) else { return 0 }
        try process.relaunch()
        return process.processID
    }

    /// A restarted VM has been seen running.
    func markRunning(vm: Int) {
        vms.first { $0.vmID == vm }?.markRunning()
    }

    /// The VM's `/status`, nil when it does not answer.
    func status(vm: Int) async -> StatusReport? {
        guard let process = vms.first(where: { $0.vmID == vm }) else { return nil }
        return await StatusReport.fetch(port: process.controlPort, client: client)
    }

    /// `POST /faults` on VM `vm` with a fault's JSON; its id, or the reason it was not set.
    func addFault(vm: Int, json: String) async -> Result<Int, ControlClient.Failure> {
        guard let process = vms.first(where: { $0.vmID == vm }) else {
            return .failure(ControlClient.Failure(description: "no VM \(vm)"))
        }
        do {
            let response = try await client.request(.POST, port: process.controlPort, path: "/faults", json: json)
            guard response.status == 201, let id = FaultIDReply.id(in: response.body) else {
                return .failure(
                    ControlClient.Failure(
                        description: "HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))"))
            }
            return .success(id)
        } catch {
            return .failure(ControlClient.Failure(description: "\(error)"))
        }
    }

    /// `DELETE /faults/{id}` on VM `vm`: the answer's status (204 removed, 404 it had already
    /// ended), nil when the VM did not answer.
    func removeFault(vm: Int, id: Int) async -> Int? {
        guard let process = vms.first(where: { $0.vmID == vm }) else { return nil }
        return try? await client.request(.DELETE, port: process.controlPort, path: "/faults/\(id)").status
    }

    /// `PATCH /config` of one VM with a JSON object; the error message when it is not accepted.
    public func patchConfig(vm: Int, json: String) async -> String? {
        guard let process = vms.first(where: { $0.vmID == vm }) else { return "no VM \(vm)" }
        do {
            let response = try await client.request(.PATCH, port: process.controlPort, path: "/config", json: json)
            return response.status == 200
                ? nil : "vm\(vm): HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))"
        } catch {
            return "vm\(vm): \(error)"
        }
    }

    /// Shows the live view of a phase begun at `began` until `duration` seconds have passed, the
    /// run is interrupted, or a VM exits that the plan did not kill (check `interrupted` and
    /// `exitedVM` afterwards).
    func watch(phase label: String, began: Date = Date(), duration: Double, progress: ProgressDisplay) async {
        while true {
            let elapsed = Date().timeIntervalSince(began)
            if elapsed >= duration || interrupted || exitedVM != nil { return }
            var notes: [Int: String] = [:]
            for vm in killedVMs { notes[vm] = "killed by the plan" }
            for vm in restartingVMs { notes[vm] = "restarting" }
            progress.update(
                phase: label, elapsed: elapsed, duration: duration, vmIDs: vmIDs, statuses: await statuses(),
                notes: notes)
            // At most `watchInterval`, and never a conversion of the (validated, but large) duration itself.
            try? await Task.sleep(for: .seconds(min(watchInterval, duration - elapsed + 0.001)))
        }
    }

    /// SIGTERM to every VM still running, then waits (up to 15 s, plus 0.1 s a VM beyond 50: the
    /// VMs of a big cluster share the cores while they say goodbye) for each to exit; SIGKILL after
    /// that. Returns how each VM ended, in VM order; a VM the plan killed and did not start again
    /// is `.killedByPlan`, and one it restarted that was not running yet `.stoppedWhileRestarting`,
    /// whatever their exit status.
    public func stop() async -> [VMExit] {
        let killed = await Self.terminate(vms, waitingUpTo: 15 + 0.1 * Double(max(0, vms.count - 50)))
        return vms.map { vm in
            if vm.condition == .killedByPlan { return .killedByPlan }
            // Restarted by the plan and stopped (SIGTERM) before it was seen running.
            if vm.condition == .restarting, vm.ending == .signal(ProcessSignal.terminate.number) {
                return .stoppedWhileRestarting
            }
            if killed.contains(where: { $0 === vm }) { return .killedAtStop }
            return vm.ending ?? .killedAtStop
        }
    }

    /// SIGTERM to each of `vms` still running, then waits up to `timeout` seconds for them to exit;
    /// SIGKILL to those still running after that, which it returns.
    private static func terminate(_ vms: [VMProcess], waitingUpTo timeout: Double) async -> [VMProcess] {
        for vm in vms { vm.terminate() }
        let deadline = Date().addingTimeInterval(timeout)
        while vms.contains(where: \.isRunning) && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let killed = vms.filter(\.isRunning)
        for vm in killed { vm.kill9() }
        return killed
    }
}
