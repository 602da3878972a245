import Foundation
import Testing

@testable import Orchestration

/// A cluster of `vmserver run` processes in the seed's pattern, started once for a whole suite
/// (see `ControlClusterTrait`), with each VM's control plane on a free port.
final class ControlCluster: Sendable {
    let workspace: TestWorkspace
    let layout: ClusterLayout
    let processes: [ServerProcess]
    /// TICK_RATE of each VM, VM 1 first.
    let rates: [Int]
    /// CONTROL_TOKEN by VM id, for the VMs that have one.
    let tokens: [Int: String]

    /// The cluster a suite runs in (set by `ControlClusterTrait`).
    @TaskLocal static var current: ControlCluster?

    private init(
        workspace: TestWorkspace, layout: ClusterLayout, processes: [ServerProcess], rates: [Int],
        tokens: [Int: String]
    ) {
        self.workspace = workspace
        self.layout = layout
        self.processes = processes
        self.rates = rates
        self.tokens = tokens
    }

    /// Starts one VM per rate and waits until every control plane reports ready.
    static func start(rates: [Int], tokens: [Int: String]) async throws -> ControlCluster {
        let workspace = try TestWorkspace()
        do {
            let layout = try ClusterLayout(totalVMs: rates.count, logDirectory: workspace.path("logs"))
            let processes = try layout.ids.map { vm in
                var environment = layout.environment(vm, tickRate: String(rates[vm - 1]))
                environment["CONTROL_TOKEN"] = tokens[vm]
                return try workspace.start("vm\(vm)", environment: environment)
            }
            let cluster = ControlCluster(
                workspace: workspace, layout: layout, processes: processes, rates: rates, tokens: tokens)
            let ready = await poll(timeout: .seconds(60)) {
                processes.contains { !$0.isRunning }
                    || layout.ids.allSatisfy { (try? cluster.control($0).get("/readyz"))?.status == 200 }
            }
            guard ready, processes.allSatisfy(\.isRunning) else {
                throw HTTPClientError("the cluster did not become ready\n\(describe(processes))")
            }
            return cluster
        } catch {
            workspace.cleanUp()
            throw error
        }
    }

    /// The control plane of VM `vm`.
    func control(_ vm: Int) -> ControlClient {
        ControlClient(port: layout.controlPorts[vm - 1])
    }

    func logPath(_ vm: Int) -> String { layout.logPath(vm) }

    /// Stops every VM with SIGTERM and removes the workspace; returns how each ended.
    func stop() async -> [ServerProcess.Exit] {
        let exits = await stopAll(processes, timeout: .seconds(20))
        workspace.cleanUp()
        return exits
    }

    /// The suite's cluster, or an error if the test does not run inside a `ControlClusterTrait`.
    static func require() throws -> ControlCluster {
        guard let current else { throw HTTPClientError("no control cluster: add .controlCluster(...) to the suite") }
        return current
    }
}

/// Runs a suite inside one `ControlCluster`, stopped (and its folder removed) when the suite ends.
struct ControlClusterTrait: SuiteTrait, TestScoping {
    var rates: [Int]
    var tokens: [Int: String]

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try await ControlCluster.start(rates: rates, tokens: tokens)
        do {
            try await ControlCluster.$current.withValue(cluster) { try await function() }
        } catch {
            _ = await cluster.stop()
            throw error
        }
        let exits = await cluster.stop()
        if exits != Array(repeating: .code(0), count: exits.count) {
            Issue.record("the cluster did not stop cleanly on SIGTERM:\n\(describe(cluster.processes))")
        }
    }
}

extension Trait where Self == ControlClusterTrait {
    /// A cluster of `rates.count` VMs for the suite, VM i ticking at `rates[i - 1]`.
    static func controlCluster(rates: [Int], tokens: [Int: String] = [:]) -> Self {
        ControlClusterTrait(rates: rates, tokens: tokens)
    }
}

/// Complete lines of a log file (a line still being written is left out), without newlines.
func logFileLines(_ path: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: path),
        let lastNewline = data.lastIndex(of: UInt8(ascii: "\n"))
    else { return [] }
    return data[data.startIndex..<lastNewline].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
}

/// The lines of a log file parsed as JSON objects, in order.
func logFileObjects(_ path: String) -> [[String: Any]] {
    logFileLines(path).compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}

/// Waits until `work` returns a value, retrying errors and nil, for at most `timeout`.
func eventually<Value>(
    timeout: Duration = .seconds(30), _ work: () throws -> Value?
) async -> Value? {
    var result: Value?
    _ = await poll(timeout: timeout) {
        result = try? work()
        return result != nil
    }
    return result
}
