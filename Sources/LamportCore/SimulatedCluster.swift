import HeapModule

/// Runs several `VMCore`s in virtual time over an in-memory network.
///
/// The same core as the real VM, with time and network simulated: VM `i` ticks at
/// `start + k / rate_i` (the real VM's `TickSchedule`, in microseconds), and a message arrives
/// `latency` after its send. Runs are deterministic: the same configuration (seed included) always
/// produces the same log lines, so tests can run many thousands of ticks in milliseconds and large
/// logs can be generated for benchmarks.
public struct SimulatedCluster {
    /// What to simulate: the cluster, its VMs' fixed tuning, the seed and the network.
    ///
    /// `init(_:)` requires the values within the ranges `RunLimits` gives (the seed at most
    /// `maximumSeed`, each rate within `minimumTickRate...maximumTickRate`, the latency within
    /// `0...maximumLatencyMicroseconds`); `SimulationPlan` checks them for the command line.
    public struct Configuration: Sendable {
        /// Ticks per second of each VM (fixed for the whole run); VM ids are 1...tickRates.count,
        /// so the count is the cluster size.
        public var tickRates: [Double]
        /// Idle ticks roll 1...maxAction, the same for every VM. A real VM requires at least the
        /// cluster size; below it, some sends (to all, or to the last peers) never happen.
        public var maxAction: Int
        /// The run's seed: each VM draws from it mixed with its id, so a configuration always
        /// produces the same logs.
        public var seed: UInt64
        /// Network delay of every message, in microseconds (the same for all; with 0 a message
        /// arrives at the instant it was sent, after whatever was already scheduled for then).
        public var latencyMicroseconds: Int64
        /// Virtual wall-clock time at which the run begins; the lines' `time` counts from it.
        public var start: WallTime

        public init(
            tickRates: [Double], maxAction: Int = 10, seed: UInt64 = 1, latencyMicroseconds: Int64 = 500,
            start: WallTime = WallTime(microseconds: 1_767_225_600_000_000)
        ) {
            self.tickRates = tickRates
            self.maxAction = maxAction
            self.seed = seed
            self.latencyMicroseconds = latencyMicroseconds
            self.start = start
        }
    }

    private struct Happening: Comparable {
        enum Kind {
            case tick(vm: Int)
            case arrival(vm: Int, message: PeerMessage)
        }
        var time: Int64
        /// Breaks ties in time deterministically, in scheduling order.
        var order: Int
        var kind: Kind

        static func < (lhs: Happening, rhs: Happening) -> Bool {
            (lhs.time, lhs.order) < (rhs.time, rhs.order)
        }
        static func == (lhs: Happening, rhs: Happening) -> Bool {
            lhs.time == rhs.time && lhs.order == rhs.order
        }
    }

    public let configuration: Configuration
    /// The cores, index `i` holding VM `i + 1`.
    public private(set) var cores: [VMCore]
    private var agenda = Heap<Happening>()
    private var scheduled = 0
    /// When each VM's ticks are due, in microseconds after `configuration.start`.
    private var tickSchedules: [TickSchedule]

    /// - Precondition: the seed is at most `RunLimits.maximumSeed`, so the `start` lines record it
    ///   exactly; rates, max_action and latency are within the ranges `SimulationPlan` checks.
    public init(_ configuration: Configuration) {
        precondition(configuration.seed <= RunLimits.maximumSeed, "seed above RunLimits.maximumSeed")
        precondition(
            configuration.tickRates.allSatisfy { $0 >= RunLimits.minimumTickRate && $0 <= RunLimits.maximumTickRate },
            "tick rate outside 0.001...1000000")
        precondition(
            (0...Int64(RunLimits.maximumLatencyMicroseconds)).contains(configuration.latencyMicroseconds),
            "latency outside 0...RunLimits.maximumLatencyMicroseconds")
        self.configuration = configuration
        let ids = Array(1...configuration.tickRates.count)
        cores = ids.map { id in
            VMCore(
                id: id, peers: ids.filter { $0 != id },
                tuning: VMTuning(
                    tickRate: .perSecond(configuration.tickRates[id - 1]), maxAction: configuration.maxAction),
                random: SeededRandom(seed: configuration.seed, vmID: id))
        }
        tickSchedules = cores.map { TickSchedule(anchor: 0, rate: $0.tuning.tickRate, unitsPerSecond: 1_000_000) }
    }

    /// Runs the whole cluster for `duration` virtual seconds and hands every log line, in time
    /// order, to `record` together with its virtual wall-clock time.
    ///
    /// Like a clean stop of the real cluster: peers connect, every VM logs `start` and ticks, and at
    /// the end every message still in flight arrives before the VMs log `unprocessed` and `stop`.
    ///
    /// - Precondition: `duration` is from 0 to `RunLimits.maximumSeconds` (`SimulationPlan` checks it).
    public mutating func run(duration: Double, record: (VMEvent, WallTime) -> Void) {
        precondition(
            duration >= 0 && duration <= RunLimits.maximumSeconds, "duration outside 0...maximumSeconds")
        let startTime = configuration.start.microseconds
        let end = startTime + Int64(duration * 1_000_000)
        for index in cores.indices {
            for peer in cores[index].peers {
                record(cores[index].peerConnected(peer), configuration.start)
            }
            record(
                cores[index].start(extra: [
                    LogField(.tickRate, cores[index].tuning.tickRate.logValue),
                    LogField(.maxAction, .int(configuration.maxAction)),
                    LogField(.seed, .int(Int(configuration.seed))),
                ]), configuration.start)
            schedule(Happening(time: nextTickTime(vm: index + 1), order: 0, kind: .tick(vm: index + 1)))
        }
        while let next = agenda.popMin() {
            if next.time > end, case .tick = next.kind { continue }
            handle(next, record: record)
        }
        for index in cores.indices {
            for line in cores[index].stop(reason: .runTime) {
                record(line, WallTime(microseconds: end))
            }
        }
    }

    private mutating func handle(_ happening: Happening, record: (VMEvent, WallTime) -> Void) {
        let now = WallTime(microseconds: happening.time)
        switch happening.kind {
        case .arrival(let vm, let message):
            cores[vm - 1].deliver(message)
        case .tick(let vm):
            let outcome = cores[vm - 1].tick()
            record(outcome.event, now)
            if let (message, recipients) = outcome.outgoing {
                for recipient in recipients {
                    schedule(
                        Happening(
                            time: happening.time + configuration.latencyMicroseconds, order: 0,
                            kind: .arrival(vm: recipient, message: message)))
                }
            }
            tickSchedules[vm - 1].recordTick()
            schedule(Happening(time: nextTickTime(vm: vm), order: 0, kind: .tick(vm: vm)))
        }
    }

    /// When VM `vm`'s next tick is due, in virtual microseconds.
    private func nextTickTime(vm: Int) -> Int64 {
        configuration.start.microseconds + Int64(tickSchedules[vm - 1].nextDue)
    }

    private mutating func schedule(_ happening: Happening) {
        var happening = happening
        scheduled += 1
        happening.order = scheduled
        agenda.insert(happening)
    }
}
