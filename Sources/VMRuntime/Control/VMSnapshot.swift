import LamportCore

/// One peer as `/status` shows it.
public struct PeerStatus: Sendable, Equatable {
    public var id: Int
    /// Where the peer is: the dialed address, or the address an inbound connection came from.
    public var address: String?
    public var connected: Bool
    /// Messages sent to this peer (not counting dropped ones).
    public var sent: Int
    /// Messages from this peer taken off the queue and processed.
    public var received: Int
    /// Messages not sent to this peer because its connection was down.
    public var dropped: Int
}

/// What a VM looks like at one moment, published by its event loop for the control plane to read.
///
/// The control plane never touches the VM's state: it reads the latest snapshot (published after
/// every batch of ticks and every lifecycle change, and at least every 100 ms).
public struct VMSnapshot: Sendable {
    public var vmID: Int
    public var totalVMs: Int
    public var state: VMState
    public var clock: Int
    public var queueLength: Int
    public var tuning: VMTuning
    /// Ticks per second over the last ~2 s (0 when not ticking).
    public var measuredTickRate: Double
    public var internalEvents: Int
    public var sendEvents: Int
    public var receiveEvents: Int
    public var peers: [PeerStatus]
    /// `seq` of the last line written to the log (0 before any).
    public var lastSeq: Int
    /// Monotonic time (ns) the process started, for uptime.
    public var startedAt: UInt64
    /// The active faults, in id order (`GET /faults`); their times are wall-clock microseconds.
    public var faults: [Fault] = []

    /// Whether the VM is connected to every peer and ticking (what `/readyz` reports).
    public var isReady: Bool {
        state == .running && peers.allSatisfy(\.connected)
    }

    public init(vmID: Int, totalVMs: Int, tuning: VMTuning, startedAt: UInt64) {
        self.vmID = vmID
        self.totalVMs = totalVMs
        self.state = .waitingForPeers
        self.clock = 0
        self.queueLength = 0
        self.tuning = tuning
        self.measuredTickRate = 0
        self.internalEvents = 0
        self.sendEvents = 0
        self.receiveEvents = 0
        self.peers = []
        self.lastSeq = 0
        self.startedAt = startedAt
    }
}
