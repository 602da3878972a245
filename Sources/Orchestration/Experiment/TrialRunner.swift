import Analysis
import Foundation
import LamportCore
import SystemCalls

/// One trial of a plan on a fresh cluster of `vmserver run` processes: starts them, plays the
/// phases one after the other (before each phase but the first the VMs get its settings with
/// `PATCH /config`; during it a `FaultDirector` carries out its faults, nemesis and kills), stops
/// the VMs, and analyzes the run. `vmserver experiment` runs one per trial; `vmserver cluster`
/// runs one of a one-phase plan, so both share this code.
struct TrialRunner: Sendable {
    let plan: ExperimentPlan
    let executable: String
    let print: @Sendable (String) -> Void
    /// Whether the analysis reports each phase on its own and progress lines name the phase
    /// (experiments), or the run is one whole (a cluster run).
    let byPhase: Bool
    /// Called with the VMs' control URLs once they are launched.
    var launched: @Sendable ([ControlURL]) -> Void = { _ in }

    struct Outcome {
        var exitCode: Int32
        var analysis: RunAnalysis?
        var interrupted: Bool
    }

    /// Runs the trial with `seed` in `directory`; nil when the VMs could not be started (the reason
    /// is on standard error). `prepare` runs once they are launched, before they are watched (to
    /// write the run's settings, say); an error from it also stops the trial before it starts.
    /// Interrupted while the VMs start, it stops the ones started and returns an interrupted
    /// outcome with exit code 1 and no analysis.
    func run(
        seed: UInt64, directory: String, prepare: (LocalCluster) throws -> Void = { _ in }
    ) async -> Outcome? {
        let layout = ClusterLayout(
            vmCount: plan.vms, directory: directory, tickRates: plan.rates(phaseIndex: 0, seed: seed), seed: seed,
            maxAction: plan.phases[0].maxAction, topology: plan.topology)
        let cluster: LocalCluster
        do {
            cluster = try await LocalCluster(layout: layout, executable: executable)
            try prepare(cluster)
        } catch let interruption as ClusterLaunchInterrupted {
            print("\(interruption)\n")
            return Outcome(exitCode: 1, analysis: nil, interrupted: true)
        } catch {
            StandardError.write("vmserver: \(error)\n")
            return nil
        }
        print(cluster.describe())
        launched(cluster.controlURLs)
        let progress = ProgressDisplay(print: print)
        let director = FaultDirector(cluster: cluster, progress: progress, namesPhases: byPhase)
        var windows: [PhaseWindow] = []
        let print = print
        let waited = await cluster.waitUntilRunning(timeout: layout.startupTimeout + 10) { ready, total in
            print("waiting for the VMs to link up: \(ready) of \(total) ticking\n")
        }
        if let problem = waited {
            print(problem + "\n")
        } else {
            windows = await runPhases(cluster, seed: seed, director: director, progress: progress)
        }
        await director.finishTrial()
        let interrupted = cluster.interrupted
        print(interrupted ? "interrupted: stopping the VMs\n" : "stopping the VMs\n")
        let exits = await cluster.stop()
        var (code, analysis) = ClusterReport.finish(
            cluster, exits: exits, phases: byPhase ? windows : [], print: print)
        let records = await director.records
        if !records.isEmpty || plan.phases.contains(where: { !$0.faults.isEmpty }) {
            do {
                try FaultRecord.write(records, to: directory)
            } catch {
                print("cannot write \(directory)/faults.json: \(error)\n")
                code = 1
            }
        }
        let problems = await director.problems
        if !problems.isEmpty {
            print("faults that did not work as planned:\n" + problems.map { "  \($0)\n" }.joined())
            code = 1
        }
        return Outcome(exitCode: code, analysis: analysis, interrupted: interrupted)
    }

    /// Runs the phases in order; returns their wall-clock windows (each from the phase's start to
    /// after its faults are removed, so its fault and heal lines fall inside it).
    private func runPhases(
        _ cluster: LocalCluster, seed: UInt64, director: FaultDirector, progress: ProgressDisplay
    ) async -> [PhaseWindow] {
        var windows: [PhaseWindow] = []
        for (index, phase) in plan.phases.enumerated() {
            let plan = plan
            await director.enter(
                FaultDirector.Phase(
                    index: index, name: phase.name, duration: phase.duration,
                    settings: { vm in plan.configJSON(vm: vm, phaseIndex: index, seed: seed, effective: true) }))
            // The first phase's rates and max_action are the VMs' start settings; only a pause
            // needs sending then.
            if index > 0 || !phase.paused.isEmpty, let problem = await retune(cluster, phaseIndex: index, seed: seed) {
                print("cannot start phase '\(phase.name)': \(problem)\n")
                break
            }
            let began = Date()
            let start = WallTime.now()
            await director.start(at: began)
            // A nemesis cuts only the links this trial's topology has.
            let steps = phase.faults.steps(
                vmCount: plan.vms, duration: phase.duration, seed: seed, phaseIndex: index,
                links: try? TopologyGraph(plan.topology, vmCount: plan.vms, seed: seed))
            let player = Task { await director.play(steps) }
            let label = byPhase ? "phase \(index + 1)/\(plan.phases.count) \(phase.name)" : phase.name
            await cluster.watch(phase: label, began: began, duration: phase.duration, progress: progress)
            player.cancel()
            await player.value
            progress.finishPhase()
            let completed = !cluster.interrupted && cluster.exitedVM == nil
            await director.finishPhase(completed: completed)
            windows.append(PhaseWindow(name: phase.name, start: start.microseconds, end: WallTime.now().microseconds))
            if let gone = cluster.exitedVM {
                print("vm\(gone) exited though the plan did not stop it; stopping the run\n")
            }
            if !completed { break }
        }
        return windows
    }

    /// Sends each running VM its settings for phase `phaseIndex` (only what the phase sets), over
    /// HTTP. A VM the plan has killed, or that is restarting, gets them when it runs again.
    private func retune(_ cluster: LocalCluster, phaseIndex: Int, seed: UInt64) async -> String? {
        let away = cluster.killedVMs.union(cluster.restartingVMs)
        for vm in cluster.vmIDs where !away.contains(vm) {
            let body = plan.configJSON(vm: vm, phaseIndex: phaseIndex, seed: seed)
            if let problem = await cluster.patchConfig(vm: vm, json: body) { return problem }
        }
        return nil
    }
}
