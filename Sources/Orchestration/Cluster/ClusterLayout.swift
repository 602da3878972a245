import EventLog
import LamportCore

/// The processes of a local cluster: free ports, the seed's dialing pattern (VM i dials every VM
/// below it), and each VM's settings as environment variables.
public struct ClusterLayout: Sendable {
    public var vmCount: Int
    public var directory: String
    /// One rate per VM, or nil to let each VM draw its own from the seed.
    public var tickRates: [TickRate]?
    public var seed: UInt64
    public var maxAction: Int

    public init(vmCount: Int, directory: String, tickRates: [TickRate]?, seed: UInt64, maxAction: Int) {
        self.vmCount = vmCount
        self.directory = directory
        self.tickRates = tickRates
        self.seed = seed
        self.maxAction = maxAction
    }

    /// The VMs, not started yet, on ports that are free now.
    func makeProcesses() throws -> [VMProcess] {
        let ports = try FreePorts.allocate(vmCount * 2)
        return (1...vmCount).map { id in
            let port = ports[id - 1]
            let controlPort = ports[vmCount + id - 1]
            let peers = (1..<id).map { "\"\($0)\": \(ports[$0 - 1])" }.joined(separator: ", ")
            var environment = [
                "VM_ID": String(id), "PORT": String(port), "PEERS": "{\(peers)}", "TOTAL_VMS": String(vmCount),
                "LOG_DIR": directory, "SEED": String(seed), "MAX_ACTION": String(maxAction),
                "CONTROL_PORT": String(controlPort), "STARTUP_TIMEOUT": "30",
            ]
            if let tickRates { environment["TICK_RATE"] = tickRates[id - 1].description }
            return VMProcess(
                vmID: id, port: port, controlPort: controlPort, environment: environment,
                logPath: LogFileName.path(vmID: id, in: directory))
        }
    }
}
