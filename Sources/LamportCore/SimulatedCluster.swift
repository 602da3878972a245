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
        /// Idle ticks roll 1...maxAction, the same for every VM; nil gives each VM the default for
        /// its neighbour count (`ActionPolicy.defaultMaxAction`). A real VM requires at least its
        /// neighbour count + 1; below it, some sends (to all, or to the last neighbours) never happen.
        public var maxAction: Int?
        /// Which VMs are linked; a VM sends only to its neighbours. `random:K` draws from `seed`.
        public var topology: Topology
        /// The run's seed: each VM draws from it mixed with its id, so a configuration always
        /// produces the same logs.
        public var seed: UInt64
        /// Network delay of every message, in microseconds (the same for all; with 0 a message
        /// arrives at the instant it was sent, after whatever was already scheduled for then).
        public var latencyMicroseconds: Int64
        /// Virtual wall-clock time at which the run begins; the lines' `time` counts from it.
        public var start: WallTime
        /// Faults to start during the run, each on one VM at a virtual time (in any order; ties
        /// start in this order). Empty: the run is exactly as without the fault model.
        public var faults: [ScheduledFault]

        public init(
            tickRates: [Double], maxAction: Int? = nil, topology: Topology = .full, seed: UInt64 = 1,
            latencyMicroseconds: Int64 = 500, start: WallTime = WallTime(microseconds: 1_767_225_600_000_000),
            faults: [ScheduledFault] = []
        ) {
            self.tickRates = tickRates
            self.maxAction = maxAction
            self.topology = topology
            self.seed = seed
            self.latencyMicroseconds = latencyMicroseconds
            self.start = start
            self.faults = faults
        }
    }

    /// A fault as `POST /faults` would add it to VM `vm`, `atMicroseconds` after the run's start;
    /// it ends by its own `duration_s`, or at the end of the run.
    public struct ScheduledFault: Sendable, Equatable {
        public var vm: Int
        public var atMicroseconds: Int64
        public var request: FaultRequest

        public init(vm: Int, atMicroseconds: Int64, request: FaultRequest) {
            self.vm = vm
            self.atMicroseconds = atMicroseconds
            self.request = request
        }
    }

    private struct Happening: Comparable {
        enum Kind {
            case tick(vm: Int)
            case arrival(vm: Int, message: PeerMessage, duplicate: Bool)
            /// `configuration.faults[index]` starts.
            case faultStart(index: Int)
            /// VM `vm`'s faults are due to be called back (`FaultSet.nextWakeup`).
            case faultWakeup(vm: Int)
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
    /// Each VM's faults, index `i` holding VM `i + 1`'s, drawing from its fault stream.
    public private(set) var faultSets: [FaultSet]
    /// The time of each VM's pending `faultWakeup`; a wake-up at another time is stale.
    private var armedWakeups: [Int64?]

    /// - Precondition: the seed is at most `RunLimits.maximumSeed`, so the `start` lines record it
    ///   exactly; rates, max_action and latency are within the ranges `SimulationPlan` checks; the
    ///   topology builds for the cluster (`TopologyGraph`).
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
        guard
            let graph = try? TopologyGraph(configuration.topology, vmCount: ids.count, seed: configuration.seed)
        else { preconditionFailure("the topology does not build for \(ids.count) VMs") }
        cores = ids.map { id in
            let neighbours = graph.neighbours(of: id)
            return VMCore(
                id: id, peers: neighbours,
                tuning: VMTuning(
                    tickRate: .perSecond(configuration.tickRates[id - 1]),
                    maxAction: configuration.maxAction
                        ?? ActionPolicy.defaultMaxAction(neighbourCount: neighbours.count)),
                random: SeededRandom(seed: configuration.seed, vmID: id))
        }
        tickSchedules = cores.map { TickSchedule(anchor: 0, rate: $0.tuning.tickRate, unitsPerSecond: 1_000_000) }
        faultSets = cores.map {
            FaultSet(vmID: $0.id, peers: $0.peers, random: FaultRandom(seed: configuration.seed, vmID: $0.id))
        }
        armedWakeups = Array(repeating: nil, count: ids.count)
    }

    /// Checks the scheduled faults against the cluster: each names a VM of it, starts at 0 or
    /// later, and names only that VM's neighbours. The message starts with the field at fault
    /// (`vm`, `at_s` or `peers`). Requires a topology that builds for the cluster.
    public static func checkFaults(_ configuration: Configuration) throws(FaultParameterError) {
        let count = configuration.tickRates.count
        let graph = try? TopologyGraph(configuration.topology, vmCount: count, seed: configuration.seed)
        for scheduled in configuration.faults {
            guard (1...count).contains(scheduled.vm) else {
                throw FaultParameterError(field: "vm", problem: "must be a VM id from 1 to \(count)")
            }
            guard scheduled.atMicroseconds >= 0 else {
                throw FaultParameterError(field: "at_s", problem: "must be 0 or more")
            }
            var probe = FaultSet(
                vmID: scheduled.vm,
                peers: graph?.neighbours(of: scheduled.vm) ?? (1...count).filter { $0 != scheduled.vm },
                random: FaultRandom(seed: 0, vmID: scheduled.vm))
            _ = try probe.add(scheduled.request, at: 0)
        }
    }

    /// Runs the whole cluster for `duration` virtual seconds and hands every log line, in time
    /// order, to `record` together with its virtual wall-clock time.
    ///
    /// Like a clean stop of the real cluster: peers connect, every VM logs `start` and ticks, and at
    /// the end every message still in flight arrives before the VMs log `unprocessed` and `stop`.
    ///
    /// Faults act as on the real VM (`VMNode+Faults`): a `fault` line when one starts, sends routed
    /// through the `FaultSet` when it is not idle (`lost` on the `send` line, held copies sent at
    /// `nextWakeup`), `heal` lines (`expired`), log times shifted by `clock_skew`; at the end,
    /// what the faults still hold is sent and every fault ends (`heal`, reason `stopped`). Faults
    /// due after the end never start.
    ///
    /// - Precondition: `duration` is from 0 to `RunLimits.maximumSeconds` (`SimulationPlan` checks
    ///   it), and the faults pass `checkFaults(_:)`.
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
                    LogField(.maxAction, .int(cores[index].tuning.maxAction)),
                    LogField(.seed, .int(Int(configuration.seed))),
                    LogField(.topology, .string(configuration.topology.description)),
                ]), configuration.start)
            schedule(Happening(time: nextTickTime(vm: index + 1), order: 0, kind: .tick(vm: index + 1)))
        }
        for (index, scheduled) in configuration.faults.enumerated() {
            schedule(
                Happening(time: startTime + scheduled.atMicroseconds, order: 0, kind: .faultStart(index: index)))
        }
        runAgenda(until: end, record: record)
        // A clean stop: what the faults hold is sent, then every fault ends.
        for index in cores.indices where !faultSets[index].faults.isEmpty || !faultSets[index].isIdle {
            for pending in faultSets[index].drain() {
                scheduleArrival(of: pending.copy, at: end)
            }
            armedWakeups[index] = nil
            for fault in faultSets[index].removeAll(at: end) {
                record(cores[index].faultEnded(fault, reason: "stopped"), WallTime(microseconds: end))
            }
        }
        runAgenda(until: end, record: record)
        for index in cores.indices {
            for line in cores[index].stop(reason: .runTime) {
                record(line, WallTime(microseconds: end))
            }
        }
    }

    /// Handles the agenda in time order; ticks, fault starts and wake-ups after `end` are dropped,
    /// arrivals after it still happen.
    private mutating func runAgenda(until end: Int64, record: (VMEvent, WallTime) -> Void) {
        while let next = agenda.popMin() {
            if next.time > end {
                if case .arrival = next.kind {} else { continue }
            }
            handle(next, record: record)
        }
    }

    private mutating func handle(_ happening: Happening, record: (VMEvent, WallTime) -> Void) {
        switch happening.kind {
        case .arrival(let vm, let message, let duplicate):
            cores[vm - 1].deliver(message, duplicate: duplicate)
        case .tick(let vm):
            tick(vm: vm, at: happening.time, record: record)
            tickSchedules[vm - 1].recordTick()
            schedule(Happening(time: nextTickTime(vm: vm), order: 0, kind: .tick(vm: vm)))
        case .faultStart(let index):
            let scheduled = configuration.faults[index]
            let vm = scheduled.vm
            // `checkFaults` passed: the peers are the VM's.
            guard let fault = try? faultSets[vm - 1].add(scheduled.request, at: happening.time) else { return }
            record(cores[vm - 1].faultStarted(fault), logTime(vm: vm, happening.time))
            sendDueCopies(vm: vm, at: happening.time)
            armWakeup(vm: vm)
        case .faultWakeup(let vm):
            guard armedWakeups[vm - 1] == happening.time else { return }
            armedWakeups[vm - 1] = nil
            for fault in faultSets[vm - 1].expire(at: happening.time) {
                record(cores[vm - 1].faultEnded(fault, reason: "expired"), logTime(vm: vm, happening.time))
            }
            sendDueCopies(vm: vm, at: happening.time)
            armWakeup(vm: vm)
        }
    }

    /// One tick of VM `vm`: its line, and its message's copies on their way (through the faults
    /// when they are not idle, as the real VM's `runTick`).
    private mutating func tick(vm: Int, at time: Int64, record: (VMEvent, WallTime) -> Void) {
        let outcome = cores[vm - 1].tick()
        guard let (message, recipients) = outcome.outgoing else {
            record(outcome.event, logTime(vm: vm, time))
            return
        }
        if faultSets[vm - 1].isIdle {
            record(outcome.event, logTime(vm: vm, time))
            for recipient in recipients {
                schedule(
                    Happening(
                        time: time + configuration.latencyMicroseconds, order: 0,
                        kind: .arrival(vm: recipient, message: message, duplicate: false)))
            }
            return
        }
        var lost: [Int] = []
        var event = outcome.event
        for recipient in recipients {
            let fate = faultSets[vm - 1].route(message, to: recipient, at: time)
            if fate.lostTo != nil { lost.append(recipient) }
            for copy in fate.immediate { scheduleArrival(of: copy, at: time) }
        }
        event.recordLost(lost)
        record(event, logTime(vm: vm, time))
        armWakeup(vm: vm)
    }

    /// The log time of VM `vm`'s line written at `time`: shifted by its `clock_skew` faults.
    private func logTime(vm: Int, _ time: Int64) -> WallTime {
        WallTime(microseconds: time + faultSets[vm - 1].clockSkewMicroseconds)
    }

    /// Sends the copies VM `vm`'s faults hold that are due at `time`.
    private mutating func sendDueCopies(vm: Int, at time: Int64) {
        for copy in faultSets[vm - 1].due(at: time) { scheduleArrival(of: copy, at: time) }
    }

    /// Schedules a wake-up at VM `vm`'s `nextWakeup`, unless one is armed at or before it.
    private mutating func armWakeup(vm: Int) {
        guard let wakeup = faultSets[vm - 1].nextWakeup else { return }
        if let armed = armedWakeups[vm - 1], armed <= wakeup { return }
        armedWakeups[vm - 1] = wakeup
        schedule(Happening(time: wakeup, order: 0, kind: .faultWakeup(vm: vm)))
    }

    private mutating func scheduleArrival(of copy: OutgoingCopy, at time: Int64) {
        schedule(
            Happening(
                time: time + configuration.latencyMicroseconds, order: 0,
                kind: .arrival(vm: copy.recipient, message: copy.message, duplicate: copy.duplicatedBy != nil)))
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
