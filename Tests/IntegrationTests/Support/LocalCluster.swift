import Foundation

@testable import Orchestration

/// The settings of N VMs on this host in the seed's pattern: VM i dials every VM j < i
/// (VM 1 dials nobody), all with the same TOTAL_VMS, SEED, MAX_ACTION and LOG_DIR.
struct ClusterLayout {
    let totalVMs: Int
    let ports: [Int]
    let controlPorts: [Int]
    let logDirectory: String
    var seed = 7
    var maxAction = 10

    init(totalVMs: Int, logDirectory: String) throws {
        let free = try FreePorts.allocate(2 * totalVMs)
        self.totalVMs = totalVMs
        ports = Array(free[0..<totalVMs])
        controlPorts = Array(free[totalVMs...])
        self.logDirectory = logDirectory
    }

    var ids: [Int] { Array(1...totalVMs) }

    func port(_ vm: Int) -> Int { ports[vm - 1] }

    func logPath(_ vm: Int) -> String { "\(logDirectory)/vm\(vm).jsonl" }

    var logPaths: [String] { ids.map(logPath) }

    /// PEERS of VM `vm`: every lower id, as id -> port.
    func peers(of vm: Int) -> String {
        "{" + (1..<vm).map { "\"\($0)\": \(port($0))" }.joined(separator: ", ") + "}"
    }

    func environment(_ vm: Int, tickRate: String) -> [String: String] {
        [
            "VM_ID": String(vm), "PORT": String(port(vm)), "PEERS": peers(of: vm), "TOTAL_VMS": String(totalVMs),
            "TICK_RATE": tickRate, "LOG_DIR": logDirectory, "SEED": String(seed), "MAX_ACTION": String(maxAction),
            "CONTROL_PORT": String(controlPorts[vm - 1]), "STARTUP_TIMEOUT": "60",
        ]
    }
}

extension TestWorkspace {
    /// Starts VM `vm` of `layout` as a `vmserver run` process.
    @discardableResult
    func startVM(_ vm: Int, of layout: ClusterLayout, tickRate: String, name: String? = nil) throws -> ServerProcess {
        try start(name ?? "vm\(vm)", environment: layout.environment(vm, tickRate: tickRate))
    }
}

/// Waits until every log has a `start` line; false if one of `processes` exited first or it
/// took longer than `timeout`.
func waitUntilStarted(logs: [String], processes: [ServerProcess], timeout: Duration = .seconds(30)) async -> Bool {
    var exitedEarly = false
    let started = await poll(timeout: timeout) {
        if processes.contains(where: { !$0.isRunning }) {
            exitedEarly = true
            return true
        }
        return logs.allSatisfy(EventLogs.hasStarted)
    }
    return started && !exitedEarly
}

/// SIGTERM to all at once, then waits for each; returns how each ended.
func stopAll(_ processes: [ServerProcess], timeout: Duration = .seconds(30)) async -> [ServerProcess.Exit] {
    for process in processes { process.terminate() }
    var exits: [ServerProcess.Exit] = []
    for process in processes { exits.append(await process.waitForExit(timeout: timeout)) }
    return exits
}

/// How each process ended and the end of its standard error, for failure messages.
func describe(_ processes: [ServerProcess]) -> String {
    processes.map { process in
        "\(process.name): \(process.exit)\n" + process.standardErrorLines.suffix(8).joined(separator: "\n")
    }.joined(separator: "\n")
}
