import EventLog
import LamportCore

/// The processes of a local cluster: free ports, the seed's dialing pattern restricted to the
/// topology's links (VM i dials each of its neighbours below it), and each VM's settings as
/// environment variables.
public struct ClusterLayout: Sendable {
    public var vmCount: Int
    public var directory: String
    /// One rate per VM, or nil to let each VM draw its own from the seed.
    public var tickRates: [TickRate]?
    public var seed: UInt64
    /// MAX_ACTION for every VM; nil lets each VM use its default for its neighbour count.
    public var maxAction: Int?
    /// Which VMs are linked; every VM gets it (and SEED) as TOPOLOGY and draws the same graph.
    public var topology: Topology
    /// Seconds each VM waits for its neighbours (STARTUP_TIMEOUT), from the cluster's size.
    public var startupTimeout: Double

    /// - Parameter topology: `full` (every VM linked to every other) unless given.
    public init(
        vmCount: Int, directory: String, tickRates: [TickRate]?, seed: UInt64, maxAction: Int?,
        topology: Topology = .full
    ) {
        self.vmCount = vmCount
        self.directory = directory
        self.tickRates = tickRates
        self.seed = seed
        self.maxAction = maxAction
        self.topology = topology
        self.startupTimeout = Self.startupTimeout(vmCount: vmCount)
    }

    /// STARTUP_TIMEOUT for a cluster of `vmCount` VMs on one host: 30 s, plus 0.15 s a VM beyond
    /// 50 (the processes start one after the other and share the cores while they link up).
    public static func startupTimeout(vmCount: Int) -> Double {
        30 + 0.15 * Double(max(0, vmCount - 50))
    }

    /// The VMs, not started yet, on ports that are free now.
    func makeProcesses() throws -> [VMProcess] {
        let graph = try TopologyGraph(topology, vmCount: vmCount, seed: seed)
        let ports = try FreePorts.allocate(vmCount * 2)
        return (1...vmCount).map { id in
            let port = ports[id - 1]
            let controlPort = ports[vmCount + id - 1]
            let peers = graph.neighbours(of: id).filter { $0 < id }.map { "\"\($0)\": \(ports[$0 - 1])" }
                .joined(separator: ", ")
            var environment = [
                "VM_ID": String(id), "PORT": String(port), "PEERS": "{\(peers)}", "TOTAL_VMS": String(vmCount),
                "LOG_DIR": directory, "SEED": String(seed), "TOPOLOGY": topology.description,
                "CONTROL_PORT": String(controlPort), "STARTUP_TIMEOUT": String(Int(startupTimeout.rounded(.up))),
            ]
            if let maxAction { environment["MAX_ACTION"] = String(maxAction) }
            if let tickRates { environment["TICK_RATE"] = tickRates[id - 1].description }
            return VMProcess(
                vmID: id, port: port, controlPort: controlPort, environment: environment,
                logPath: LogFileName.path(vmID: id, in: directory))
        }
    }
}
