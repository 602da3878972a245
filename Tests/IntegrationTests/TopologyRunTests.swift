import Foundation
import Testing

@testable import EventLog
@testable import LamportCore
@testable import Orchestration

/// Sparse topologies on real processes: each VM links to, sends to and receives from its
/// neighbours only, refuses any other VM, and the run passes every check.
@Suite(.serialized)
struct TopologyRunTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var topology: String
        var topologyValue: Topology
        var testDescription: String { "8 VMs, topology \(topology)" }
    }

    /// The `start` line of a log as a JSON object.
    static func startLine(_ path: String) -> [String: Any]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.contains(#""type":"start""#) })
        else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    static let scenarios = [
        Scenario(topology: "ring", topologyValue: .ring),
        Scenario(topology: "random:3", topologyValue: .random(neighbours: 3)),
    ]

    @Test("vmserver cluster links each VM to its neighbours only, and the run passes every check", arguments: scenarios)
    func clusterOfNeighbours(_ scenario: Scenario) async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let seed: UInt64 = 11
        let cluster = try workspace.start(
            "cluster",
            arguments: [
                "cluster", "--vms", "8", "--topology", scenario.topology, "--duration", "3", "--tick-rates",
                "100-200", "--seed", String(seed), "--out", out,
            ],
            environment: [:])
        let exit = await cluster.waitForExit(timeout: .seconds(180))
        #expect(exit == .code(0), "\(describe([cluster]))\n\(cluster.standardOutput)")
        #expect(
            cluster.standardOutput.contains("8 VMs, topology \(scenario.topology)"),
            "the host check line:\n\(cluster.standardOutput)")

        let graph = try TopologyGraph(scenario.topologyValue, vmCount: 8, seed: seed)
        for vm in 1...8 {
            let neighbours = Set(graph.neighbours(of: vm))
            let records = EventLogs.records("\(out)/vm\(vm).jsonl")
            let start = try #require(Self.startLine("\(out)/vm\(vm).jsonl"), "vm\(vm) has no start line")
            #expect(Set(start["peers"] as? [Int] ?? []) == neighbours, "vm\(vm)'s start line lists its neighbours")
            #expect(start["topology"] as? String == scenario.topology, "vm\(vm)'s start line names the topology")
            #expect(
                start["max_action"] as? Int == ActionPolicy.defaultMaxAction(neighbourCount: neighbours.count),
                "vm\(vm) uses the default MAX_ACTION for \(neighbours.count) neighbours")
            let linked = Set(records.filter { $0.kind == .peerUp }.compactMap(\.peer))
            #expect(linked == neighbours, "vm\(vm) logs peer_up for exactly its neighbours")
            let sentTo = Set(records.filter { $0.kind == .send }.flatMap(\.to))
            #expect(sentTo.isSubset(of: neighbours), "vm\(vm) sends only to neighbours; sent to \(sentTo)")
            #expect(!sentTo.isEmpty, "vm\(vm) sent nothing")
            let heardFrom = Set(records.filter { $0.kind == .receive }.compactMap(\.from))
            #expect(heardFrom.isSubset(of: neighbours), "vm\(vm) receives only from neighbours")
        }
        let settings = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: "\(out)/settings.json")))
        #expect((settings as? [String: Any])?["topology"] as? String == scenario.topology)
    }

    @Test("a VM refuses the handshake of a VM that is not its neighbour, naming it")
    func nonNeighbourRefused() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 4, logDirectory: workspace.path("logs"))
        var environment = layout.environment(1, tickRate: "20")
        environment["TOPOLOGY"] = "ring"
        environment["MAX_ACTION"] = nil
        let vm1 = try workspace.start("vm1", environment: environment)
        // In a ring of 4, VM 1's neighbours are 2 and 4; VM 3 is not one.
        let stranger = try await FakePeer.connect(port: layout.port(1))
        let answer = await stranger.hello(as: 3, clusterSize: 4)
        guard case .reject(let reason)? = answer else {
            Issue.record("VM 1 should refuse VM 3, got \(String(describing: answer))")
            return
        }
        #expect(reason.contains("VM 3 is not a neighbour of VM 1"), "\(reason)")
        #expect(await stranger.connection.readUntilClosed() != .stillOpen)
        let warned = await poll { vm1.standardErrorLines.contains { $0.contains("not a neighbour") } }
        #expect(warned, "a warning naming the VM:\n\(vm1.standardErrorLines.joined(separator: "\n"))")
        let neighbour = try await FakePeer.connect(port: layout.port(1))
        guard case .hello? = await neighbour.hello(as: 2, clusterSize: 4) else {
            Issue.record("VM 1 should accept its neighbour VM 2")
            return
        }
        #expect(vm1.isRunning, "\(describe([vm1]))")
        vm1.terminate()
        _ = await vm1.waitForExit(timeout: .seconds(30))
    }

    @Test("a PEERS entry that is not a neighbour is ignored with one warning")
    func nonNeighbourPeerIgnored() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let layout = try ClusterLayout(totalVMs: 3, logDirectory: workspace.path("logs"))
        // An explicit topology of the links 1-2 and 2-3: VM 3's PEERS names both lower VMs.
        let topology = #"{"1": [2], "2": [3]}"#
        var vms: [ServerProcess] = []
        for vm in 1...3 {
            var environment = layout.environment(vm, tickRate: "50")
            environment["TOPOLOGY"] = topology
            environment["MAX_ACTION"] = nil
            vms.append(try workspace.start("vm\(vm)", environment: environment))
        }
        let started = await waitUntilStarted(logs: layout.logPaths, processes: vms)
        #expect(started, "\(describe(vms))")
        let exits = await stopAll(vms)
        #expect(exits == [.code(0), .code(0), .code(0)], "\(describe(vms))")
        let warnings = vms[2].standardErrorLines.filter { $0.contains("ignored: not neighbours") }
        #expect(warnings.count == 1, "\(vms[2].standardErrorLines.joined(separator: "\n"))")
        #expect(warnings.first?.contains("VMs 1 ignored") == true, "\(warnings)")
        let linked = Set(EventLogs.records(layout.logPath(3)).filter { $0.kind == .peerUp }.compactMap(\.peer))
        #expect(linked == [2])
    }

    @Test("vmserver cluster refuses more VMs than the host holds before starting any, naming the resource")
    func clusterBeyondTheHost() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("run")
        let cluster = try workspace.start(
            "cluster", arguments: ["cluster", "--vms", "100000", "--out", out], environment: [:])
        let exit = await cluster.waitForExit(timeout: .seconds(120))
        #expect(exit == .code(2), "\(describe([cluster]))")
        let lines = cluster.standardErrorLines
        #expect(lines.count == 1, "one line:\n\(lines.joined(separator: "\n"))")
        #expect(
            lines.first?.hasPrefix("vmserver: invalid --vms: 100000 VMs do not fit on this host") == true, "\(lines)")
        #expect(lines.first?.contains("short") == true, "\(lines)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing may start")
    }
}
