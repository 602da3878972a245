import LamportCore

/// One thing the runner does to the VMs at a time in a phase: set faults, kill a VM, or restart
/// one. `PhaseFaults.steps` lists a phase's steps; the runner plays them on the wall clock.
public struct FaultStep: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// `POST /faults` on each of these VMs.
        case faults([VMFault])
        /// SIGKILL to the VM's process.
        case kill(vm: Int)
        /// The VM's process started again, with the same settings and log.
        case restart(vm: Int)
    }

    /// Seconds into the phase.
    public var atSeconds: Double
    public var action: Action
    public var source: FaultSource
    /// The nemesis cycle it belongs to (1, 2, ...); nil for a plan's own faults and kills.
    public var cycle: Int?
    /// What a nemesis cycle does, in words (`[1, 3] | [2]`); nil for other steps.
    public var note: String?

    public init(atSeconds: Double, action: Action, source: FaultSource, cycle: Int? = nil, note: String? = nil) {
        self.atSeconds = atSeconds
        self.action = action
        self.source = source
        self.cycle = cycle
        self.note = note
    }

    /// At the same time a restart goes first (the VM comes back as soon as planned), then kills,
    /// then faults.
    var rank: Int {
        switch action {
        case .restart: 0
        case .kill: 1
        case .faults: 2
        }
    }
}

/// One VM's fault of a `FaultStep`.
public struct VMFault: Sendable, Equatable {
    public var vm: Int
    public var request: FaultRequest

    public init(vm: Int, request: FaultRequest) {
        self.vm = vm
        self.request = request
    }
}
