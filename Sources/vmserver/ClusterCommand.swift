import ArgumentParser
import Dashboard
import Foundation
import MicroHTTP
import Orchestration
import Settings
import SystemCalls

/// `vmserver cluster`: N VMs as processes on this host, with progress, clean stop and a summary.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Start N VMs as separate processes on this host, run them, stop them cleanly, summarise.",
        discussion: """
            Example: vmserver cluster --vms 3 --duration 60 --tick-rates 1,4,6 --seed 7

            --seed fixes each VM's rolls (its sequence of random actions on idle ticks) and, without \
            --tick-rates, its tick rate. It does not fix how messages interleave with ticks, nor exactly \
            when the run stops: both follow real time, so a rerun with the same seed differs by a few \
            events per VM. For a run that repeats exactly, use vmserver simulate.

            --vms: each VM is a process with a TCP connection to each of its neighbours (--topology: \
            full, the default, links every pair, N(N-1)/2 links; ring, grid and random:K keep the links \
            linear in N). Before starting, the open files, memory, ports and threads the cluster needs \
            are computed and printed with what this host allows; a cluster beyond that is refused, \
            naming the resource that is short. On a 2-core machine 1000 VMs with random:4 run; vmserver \
            simulate runs larger clusters in simulated time.

            Faults (each AT_S counts from when every VM is running; each is a line of the progress \
            and an entry of faults.json in the run folder):
              --fault 'VM@AT_S:JSON'   at AT_S, POST /faults with the JSON body on VM (repeatable); \
            it lasts its duration_s or to the end, e.g. --fault '1@5:{"kind":"partition","peers":[2,3],"duration_s":10}'
              --nemesis KIND,every=S,for=D   every S seconds (the first at S) for D seconds (D < S): \
            partition_halves, isolate, bridge (3+ VMs), majorities_ring (4+ VMs) cut links both ways \
            with partition faults of duration D; kill SIGKILLs a random VM and restarts it after D. \
            Its choices are drawn from --seed.
              --kill VM@AT_S[+RESTART_S]   SIGKILL to VM at AT_S, restarted RESTART_S later with the \
            same settings and log (repeatable; without +RESTART_S it stays down, which is no failure).
            """)

    @Option(
        parsing: .unconditional,
        help: "Number of VMs (default 3); what this host holds is computed and printed before starting.")
    var vms: String?
    @Option(parsing: .unconditional, help: "Seconds to run once all VMs tick, 0.001-31536000 (default 60).")
    var duration: String?
    @Option(
        parsing: .unconditional,
        help:
            "Comma-separated ticks per second (0.001-1000000) or 'max', one per VM, or a range LOW-HIGH each VM draws a whole rate from with the seed; default 1-6."
    )
    var tickRates: String?
    @Option(
        parsing: .unconditional,
        help:
            "Seed of the run, 0-\(VMSettings.maximumSeed) (default random): fixes each VM's rolls, not the interleaving."
    )
    var seed: String?
    @Option(
        parsing: .unconditional,
        help:
            "Idle ticks roll 1...M, M from the most neighbours a VM has + 1 to 1000000 (default: each VM's max(10, ceil(10(K+1)/3)) for its K neighbours)."
    )
    var maxAction: String?
    @Option(
        parsing: .unconditional,
        help:
            "Which VMs are linked: full (default), ring, grid, random:K (from --seed), or a JSON object of id -> [ids]."
    )
    var topology: String?
    @Option(help: "Run folder for logs and settings (default runs/<UTC time>).") var out: String?
    @OptionGroup var faults: FaultArgument
    @Option(
        parsing: .unconditional,
        help: "A nemesis: KIND,every=S,for=D; KIND partition_halves, isolate, bridge, majorities_ring or kill.")
    var nemesis: String?
    @Option(
        parsing: .unconditionalSingleValue,
        help: "A crash: VM@AT_S or VM@AT_S+RESTART_S (SIGKILL, then a restart; repeatable).")
    var kill: [String] = []
    @Option(
        parsing: .unconditional,
        help:
            "Serve the live dashboard on 127.0.0.1:PORT (default \(DashboardArgument.defaultPort); 0 picks a free port)."
    )
    var dashboard: String?

    func run() async throws {
        // Before the first line: a Ctrl-C from now on stops the run instead of ending the process.
        await InterruptSignals.process.trap()
        defer { InterruptSignals.process.release() }
        let plan: ClusterPlan
        do {
            plan = try ClusterPlan(
                vms: vms, duration: duration, tickRates: tickRates, seed: seed, maxAction: maxAction,
                outputDirectory: out, faults: faults.fault, nemesis: nemesis, kills: kill, topology: topology)
            try LocalCluster.checkInheritedLogLevel()
            // The VMs inherit this process's open-file limit: the soft one goes up to the hard one.
            OpenFileLimit.raiseSoftLimitToHard()
            let capacity = try ClusterFootprint(graph: plan.graph).check(against: .current())
            StandardOutput.write(capacity + "\n")
        } catch {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
        let port = try dashboard.map { try DashboardArgument.port($0, option: "--dashboard") }
        var runner = ClusterRunner(plan: plan, executable: currentExecutable()) { text in
            StandardOutput.write(text)
        }
        let server = try port.map {
            try DashboardArgument.start(host: "127.0.0.1", port: $0, urls: [], option: "--dashboard")
        }
        if let server { runner.launched = { urls in server.watch(urls) } }
        let code = await runner.run()
        server?.stop()
        if code != 0 { throw ExitCode(code) }
    }
}

/// The path of the running `vmserver` binary, to start more of it.
func currentExecutable() -> String {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
    return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
}
