import Foundation
import NIOConcurrencyHelpers
import UnixSignals

/// Runs a `ClusterPlan`: starts the VMs as separate `vmserver run` processes on this host with the
/// seed's connection pattern (VM i dials every VM below it), shows progress, stops them all
/// cleanly at the end or on Ctrl-C, checks the logs, and prints a summary per VM.
public struct ClusterRunner: Sendable {
    public let plan: ClusterPlan
    /// The `vmserver` binary to start for each VM.
    public let executable: String
    /// Where progress and the summary go (standard output by default).
    public let print: @Sendable (String) -> Void

    public init(plan: ClusterPlan, executable: String, print: @escaping @Sendable (String) -> Void) {
        self.plan = plan
        self.executable = executable
        self.print = print
    }

    /// Runs the cluster and returns the exit code: 0 when every VM stopped cleanly and every check
    /// passed, 1 otherwise, 2 when the run could not start (message on standard error).
    public func run() async -> Int32 {
        let directory = plan.outputDirectory
        do {
            try prepare(directory)
        } catch {
            FileHandleStandardError.write("vmserver: \(error)\n")
            return 2
        }
        let vms = ClusterLayout(
            vmCount: plan.vmCount, directory: directory, tickRates: plan.tickRates, seed: plan.seed,
            maxAction: plan.maxAction
        ).makeProcesses()
        do {
            try writeSettings(vms, to: directory)
            for vm in vms {
                try vm.launch(executable: executable, stderrPath: "\(directory)/vm\(vm.vmID).stderr")
            }
        } catch {
            FileHandleStandardError.write("vmserver: cannot start the VMs: \(error)\n")
            for vm in vms { vm.kill9() }
            return 2
        }
        print("run folder: \(directory)\n")
        for vm in vms {
            print(
                "  vm\(vm.vmID): pid \(vm.processID), control http://127.0.0.1:\(vm.controlPort), "
                    + "peers on 127.0.0.1:\(vm.port), log \(vm.logPath)\n")
        }
        let interrupted = NIOLockedValueBox(false)
        let signalWatcher = Task {
            for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) {
                interrupted.withLockedValue { $0 = true }
            }
        }
        defer { signalWatcher.cancel() }
        let client = ControlClient()
        let progress = ProgressDisplay(vms: vms, duration: plan.duration, client: client, print: print)
        let started = await waitUntilRunning(vms, interrupted: interrupted, client: client)
        if started {
            await tick(vms, interrupted: interrupted, progress: progress)
        }
        progress.finish()
        print(interrupted.withLockedValue { $0 } ? "interrupted: stopping the VMs\n" : "stopping the VMs\n")
        let exitCodes = await stop(vms)
        return report(vms, exitCodes: exitCodes, directory: directory)
    }

    private func prepare(_ directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let existing = try FileManager.default.contentsOfDirectory(atPath: directory)
        if existing.contains(where: { $0.hasPrefix("vm") && $0.hasSuffix(".jsonl") }) {
            throw SettingsError("--out", "\(directory) already holds a run's logs; choose another folder")
        }
    }

    private func writeSettings(_ vms: [VMProcess], to directory: String) throws {
        let document: [String: Any] = [
            "vms": plan.vmCount, "duration_s": plan.duration, "seed": plan.seed, "max_action": plan.maxAction,
            "tick_rates": plan.tickRates.map { $0.map(\.description) } ?? "random 1-6 from the seed",
            "settings": vms.map { $0.environment },
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(directory)/settings.json"))
    }

    /// Waits until every VM's `/status` says it is running; false if one exited or it took too long.
    private func waitUntilRunning(
        _ vms: [VMProcess], interrupted: NIOLockedValueBox<Bool>, client: ControlClient
    ) async -> Bool {
        let deadline = Date().addingTimeInterval(40)
        while Date() < deadline {
            if interrupted.withLockedValue({ $0 }) { return false }
            if let gone = vms.first(where: { !$0.isRunning }) {
                print("vm\(gone.vmID) exited before the cluster started; see its .stderr file\n")
                return false
            }
            var running = 0
            for vm in vms {
                if let status = await StatusReport.fetch(port: vm.controlPort, client: client),
                    status.state == VMState.running.rawValue
                {
                    running += 1
                }
            }
            if running == vms.count { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        print("the VMs did not all start within 40 s\n")
        return false
    }

    private func tick(_ vms: [VMProcess], interrupted: NIOLockedValueBox<Bool>, progress: ProgressDisplay) async {
        let start = Date()
        while true {
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= plan.duration || interrupted.withLockedValue({ $0 }) { return }
            if vms.contains(where: { !$0.isRunning }) {
                print("a VM exited early; stopping the run\n")
                return
            }
            await progress.update(elapsed: elapsed)
            try? await Task.sleep(for: .milliseconds(min(500, Int((plan.duration - elapsed) * 1000) + 1)))
        }
    }

    /// SIGTERM to every VM at once, then waits (up to 15 s) for each to exit; SIGKILL after that.
    private func stop(_ vms: [VMProcess]) async -> [Int32?] {
        for vm in vms { vm.terminate() }
        let deadline = Date().addingTimeInterval(15)
        while vms.contains(where: \.isRunning) && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for vm in vms where vm.isRunning {
            print("vm\(vm.vmID) did not stop within 15 s; killing it\n")
            vm.kill9()
        }
        return vms.map(\.exitCode)
    }

    private func report(_ vms: [VMProcess], exitCodes: [Int32?], directory: String) -> Int32 {
        var healthy = true
        for (vm, code) in zip(vms, exitCodes) where code != 0 {
            print(
                "vm\(vm.vmID) exited with code \(code.map(String.init) ?? "?"); see \(directory)/vm\(vm.vmID).stderr\n")
            healthy = false
        }
        do {
            let summaries = try vms.map { vm throws(LogParseError) in
                try VMRunSummary.read(path: vm.logPath, vm: vm.vmID)
            }
            print("\n" + SummaryTable.render(summaries))
            let checks = try RunChecker.check(logFiles: vms.map(\.logPath))
            print("\nchecks:\n" + SummaryTable.render(checks))
            if !checks.passed { healthy = false }
        } catch {
            print("cannot read the logs: \(error)\n")
            healthy = false
        }
        print("\nlogs and settings in \(directory)\n")
        return healthy ? 0 : 1
    }
}
