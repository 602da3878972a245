import EventLog
import Foundation
import LamportCore
import Settings

/// Carries out the faults, nemesis cycles and planned crashes of a trial's phases on a running
/// `LocalCluster`, as a script would: `POST /faults`, `DELETE /faults/{id}`, signals and new
/// processes. Everything it does is one progress line and one `FaultRecord`.
///
/// It keeps, per VM, the faults the phase wants the VM to have. A VM killed and restarted gets
/// them again once it runs (with what is left of each `duration_s`), together with the phase's
/// settings; a VM that is down when a fault is due gets it when it runs again. At the phase's end
/// every fault still set is removed, so a phase's faults last exactly the phase.
actor FaultDirector {
    /// The phase being played.
    struct Phase: Sendable {
        /// From 0.
        var index: Int
        var name: String
        var duration: Double
        /// The `PATCH /config` body that gives VM `vm` this phase's settings (for restarted VMs).
        var settings: @Sendable (_ vm: Int) -> String
    }

    /// A fault the phase wants a VM to have.
    private struct Wanted {
        var request: FaultRequest
        /// When it was set or due: its `duration_s` counts from here.
        var since: Date
        /// Its id on the VM; nil while the VM does not have it (down or restarting).
        var id: Int?
        var source: String
    }

    private let cluster: LocalCluster
    private let progress: ProgressDisplay
    /// Whether progress lines name the phase (experiments) or not (a cluster run is one phase).
    private let namesPhases: Bool
    private var phase: Phase?
    private var began = Date()
    private var wanted: [Int: [Wanted]] = [:]
    /// Which step killed each VM that is down, so only its own restart starts it again.
    private var killedBy: [Int: String] = [:]
    private var watchers: [Int: Task<Void, Never>] = [:]
    /// The steps of the phase not played yet when it ended.
    private var unplayed: [FaultStep] = []
    /// Counts finished phases, so a restarted VM's faults set again as a phase ends go too.
    private var generation = 0
    private(set) var records: [FaultRecord] = []
    /// What went wrong with a VM that was up: a fault it refused, a fault that could not be removed.
    private(set) var problems: [String] = []

    init(cluster: LocalCluster, progress: ProgressDisplay, namesPhases: Bool) {
        self.cluster = cluster
        self.progress = progress
        self.namesPhases = namesPhases
    }

    /// Takes up `phase` (before its settings are sent, so a VM that comes back meanwhile gets them).
    func enter(_ phase: Phase) {
        self.phase = phase
        began = Date()
    }

    /// The phase's clock starts now: steps are timed from here.
    func start(at date: Date) {
        began = date
    }

    /// Plays `steps` at their times until they are done or the task is cancelled (the phase ended).
    func play(_ steps: [FaultStep]) async {
        for (index, step) in steps.enumerated() {
            let wait = began.addingTimeInterval(step.atSeconds).timeIntervalSinceNow
            if wait > 0 {
                do {
                    try await Task.sleep(for: .seconds(wait))
                } catch {
                    unplayed = Array(steps[index...])
                    return
                }
            }
            if Task.isCancelled {
                unplayed = Array(steps[index...])
                return
            }
            await perform(step)
        }
    }

    /// Ends the phase: when it ran to its end, the restarts due at its end happen now; then every
    /// fault still set is removed.
    func finishPhase(completed: Bool) async {
        guard let phase else { return }
        if completed {
            for step in unplayed where step.atSeconds <= phase.duration {
                if case .restart = step.action { await perform(step) }
            }
        }
        unplayed = []
        generation += 1
        let ending = wanted
        wanted = [:]
        var removed: [String] = []
        for vm in ending.keys.sorted() {
            for fault in ending[vm] ?? [] {
                guard let id = fault.id else { continue }
                switch await cluster.removeFault(vm: vm, id: id) {
                case 204?:
                    removed.append("vm\(vm) #\(id)")
                    record("heal", vm: vm, source: fault.source, fault: fault.request, id: id)
                case 404?:
                    break  // ended by its duration_s: the VM's log has its heal line
                default:
                    guard !cluster.killedVMs.contains(vm) && cluster.exitedVM != vm else { break }
                    problems.append("vm\(vm): fault \(id) could not be removed at the end of \(phaseName)")
                    record("failed", vm: vm, source: fault.source, fault: fault.request, id: id, detail: "not removed")
                }
            }
        }
        if !removed.isEmpty {
            note("\(endLabel): faults removed: \(removed.joined(separator: ", "))")
        }
    }

    /// Stops watching for restarted VMs (the trial is over).
    func finishTrial() {
        for watcher in watchers.values { watcher.cancel() }
        watchers = [:]
    }

    // MARK: steps

    private func perform(_ step: FaultStep) async {
        let label = step.source.label
        switch step.action {
        case .faults(let set):
            var placed: [String] = []
            for fault in set {
                let result = await place(
                    Wanted(request: fault.request, since: Date(), id: nil, source: label), on: fault.vm, step: step)
                if step.note == nil {
                    note(
                        "\(now): vm\(fault.vm) \(fault.request.summary)\(result.words)\(untilEnd(fault.request)) [\(label)]"
                    )
                } else {
                    placed.append("vm\(fault.vm)\(result.short)")
                }
            }
            if let summary = step.note {
                let length = set.first?.request.durationMicroseconds.map { " for \(FaultRequest.seconds($0)) s" }
                note("\(now): \(label): \(summary)\(length ?? ""); faults \(placed.joined(separator: ", "))")
            }
        case .kill(let vm):
            await kill(vm, step: step)
        case .restart(let vm):
            guard killedBy[vm] == label else { return }
            killedBy[vm] = nil
            do {
                let pid = try cluster.restart(vm: vm)
                note("\(now): vm\(vm) restarted (pid \(pid)) [\(label)]")
                record("restart", vm: vm, source: label, planned: step.atSeconds, detail: "pid \(pid)")
                watchRestart(of: vm, at: Date())
            } catch {
                problems.append("vm\(vm) could not be restarted: \(error)")
                note("\(now): vm\(vm) could not be restarted: \(error) [\(label)]")
                record("failed", vm: vm, source: label, planned: step.atSeconds, detail: "restart: \(error)")
            }
        }
    }

    /// What became of a fault the director placed.
    private enum Placed {
        case set(id: Int)
        /// The VM is down or restarting: it gets the fault when it runs again.
        case waiting
        /// The VM went away meanwhile.
        case gone
        case failed(String)

        /// After the fault in a progress line: ` (fault 3)`.
        var words: String {
            switch self {
            case .set(let id): " (fault \(id))"
            case .waiting: " (the VM is down: set when it runs again)"
            case .gone: " (the VM is gone)"
            case .failed(let reason): " (not set: \(reason))"
            }
        }

        /// After the VM in a nemesis line: ` #3`.
        var short: String {
            switch self {
            case .set(let id): " #\(id)"
            case .waiting: " when it runs again"
            case .gone: " gone"
            case .failed: " failed"
            }
        }
    }

    /// Sets `fault` on `vm` now, or keeps it for when the VM runs again.
    private func place(_ fault: Wanted, on vm: Int, step: FaultStep?) async -> Placed {
        var fault = fault
        if cluster.killedVMs.contains(vm) || cluster.restartingVMs.contains(vm) {
            wanted[vm, default: []].append(fault)
            record(
                "skipped", vm: vm, source: fault.source, planned: step?.atSeconds, fault: fault.request,
                detail: "the VM is down; set when it runs again")
            return .waiting
        }
        switch await cluster.addFault(vm: vm, json: fault.request.jsonText) {
        case .success(let id):
            fault.id = id
            wanted[vm, default: []].append(fault)
            record("fault", vm: vm, source: fault.source, planned: step?.atSeconds, fault: fault.request, id: id)
            return .set(id: id)
        case .failure(let failure):
            if cluster.killedVMs.contains(vm) || cluster.exitedVM == vm { return .gone }
            problems.append("vm\(vm) did not take \(fault.request.jsonText): \(failure)")
            record(
                "failed", vm: vm, source: fault.source, planned: step?.atSeconds, fault: fault.request,
                detail: failure.description)
            return .failed(failure.description)
        }
    }

    private func kill(_ vm: Int, step: FaultStep) async {
        let label = step.source.label
        let down = cluster.killedVMs.union(cluster.restartingVMs)
        if down.contains(vm) || (step.cycle != nil && !down.isEmpty) {
            let who = down.sorted().map { "vm\($0)" }.joined(separator: ", ")
            note("\(now): \(label) skipped: \(who) is down")
            record("skipped", vm: vm, source: label, planned: step.atSeconds, detail: "\(who) down")
            return
        }
        watchers[vm]?.cancel()
        watchers[vm] = nil
        await cluster.kill(vm: vm)
        killedBy[vm] = label
        wanted[vm] = wanted[vm]?.map { fault in
            var lost = fault
            lost.id = nil
            return lost
        }
        note("\(now): vm\(vm) killed (SIGKILL) [\(label)]")
        record("kill", vm: vm, source: label, planned: step.atSeconds)
    }

    /// Waits (in the background, not holding up the phase) until restarted VM `vm` runs, then
    /// gives it the phase's settings and faults.
    private func watchRestart(of vm: Int, at restarted: Date) {
        watchers[vm]?.cancel()
        let cluster = cluster
        watchers[vm] = Task {
            let deadline = Date().addingTimeInterval(60)
            while !Task.isCancelled && Date() < deadline && cluster.exitedVM != vm {
                if let status = await cluster.status(vm: vm),
                    status.state == VMState.running.rawValue || status.state == VMState.paused.rawValue
                {
                    await self.cameBack(vm, restarted: restarted)
                    return
                }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func cameBack(_ vm: Int, restarted: Date) async {
        let generation = generation
        watchers[vm] = nil
        cluster.markRunning(vm: vm)
        var told = ["running again \(Self.seconds(Date().timeIntervalSince(restarted))) s after its restart"]
        if let phase, let problem = await cluster.patchConfig(vm: vm, json: phase.settings(vm)) {
            problems.append("vm\(vm): the phase's settings were not taken after its restart: \(problem)")
        }
        var set: [String] = []
        let pending = wanted[vm] ?? []
        wanted[vm] = []
        for fault in pending {
            var request = fault.request
            if let total = request.durationMicroseconds {
                let left = Double(total) / 1e6 - Date().timeIntervalSince(fault.since)
                guard left > 0.05 else { continue }
                request.durationMicroseconds = Int64(left * 1e6)
            }
            let result = await place(
                Wanted(request: request, since: Date(), id: nil, source: fault.source), on: vm, step: nil)
            if generation != self.generation, case .set(let id) = result {
                // The phase ended while this was sent: it is not the phase's any more.
                wanted[vm]?.removeAll { $0.id == id }
                _ = await cluster.removeFault(vm: vm, id: id)
                continue
            }
            set.append("\(request.summary)\(result.words)")
        }
        if !set.isEmpty { told.append("faults set again: " + set.joined(separator: "; ")) }
        note("\(now): vm\(vm) \(told.joined(separator: "; "))")
        record("running", vm: vm, source: "restart", detail: told[0])
    }

    // MARK: lines and records

    private var phaseName: String { namesPhases ? "phase \((phase?.index ?? 0) + 1)" : "the run" }

    /// `phase 2 at 5.0 s` (or `at 5.0 s` for a cluster run): a progress line's start.
    private var now: String {
        let at = String(format: "%.1f", Date().timeIntervalSince(began))
        return namesPhases ? "phase \((phase?.index ?? 0) + 1) at \(at) s" : "at \(at) s"
    }

    /// `end of phase 2` (or `end of the run`).
    private var endLabel: String {
        namesPhases ? "end of phase \((phase?.index ?? 0) + 1)" : "end of the run"
    }

    private func untilEnd(_ request: FaultRequest) -> String {
        request.durationMicroseconds == nil ? (namesPhases ? " until the phase ends" : " until the run ends") : ""
    }

    private func note(_ line: String) {
        progress.note(line)
    }

    private func record(
        _ action: String, vm: Int?, source: String, planned: Double? = nil, fault: FaultRequest? = nil,
        id: Int? = nil, detail: String? = nil
    ) {
        records.append(
            FaultRecord(
                action: action, phase: (phase?.index ?? 0) + 1, phaseName: phase?.name ?? "",
                atSeconds: Date().timeIntervalSince(began), plannedAtSeconds: planned, time: .now(), vm: vm,
                source: source, fault: fault, faultID: id, detail: detail))
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
