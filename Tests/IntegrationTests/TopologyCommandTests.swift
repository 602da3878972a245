import EventLog
import Foundation
import LamportCore
import Testing

/// Topologies seen from the command line: the graph is the same in every process (each VM draws
/// it on its own), and a simulated sparse run talks over its links only.
@Suite(.serialized)
struct TopologyCommandTests {
    @Test("two processes draw the same random graph from the same seed")
    func sameGraphInEveryProcess() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let arguments = ["compose", "--vms", "300", "--topology", "random:4", "--seed", "11"]
        let first = try await workspace.run("compose-1", arguments)
        let second = try await workspace.run("compose-2", arguments)
        #expect(first.exit == .code(0) && second.exit == .code(0), "\(first.standardError)")
        #expect(first.standardOutput == second.standardOutput)
        #expect(first.standardOutput.contains("random:4 (600 links)"))
    }

    @Test("a simulated ring: each VM connects to, sends to and hears from its two neighbours only")
    func simulatedRing() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let out = workspace.path("ring")
        let simulate = try await workspace.run(
            "simulate",
            ["simulate", "--vms", "12", "--topology", "ring", "--tick-rates", "2-6", "--duration", "60", "--out", out])
        #expect(simulate.exit == .code(0), "\(simulate.standardError)")
        for vm in 1...12 {
            let neighbours = Set([vm == 1 ? 12 : vm - 1, vm == 12 ? 1 : vm + 1])
            let records = EventLogs.records("\(out)/vm\(vm).jsonl")
            #expect(Set(records.filter { $0.kind == .peerUp }.compactMap(\.peer)) == neighbours, "vm\(vm)")
            #expect(records.filter { $0.kind == .peerUp }.count == 2)
            let sentTo = Set(records.filter { $0.kind == .send }.flatMap(\.to))
            // A slow VM can spend nearly every tick receiving, so not every link carries a send.
            #expect(!sentTo.isEmpty && sentTo.isSubset(of: neighbours), "vm\(vm) sends to its neighbours only")
            let heardFrom = Set(records.filter { $0.kind == .receive }.compactMap { $0.message?.from })
            #expect(heardFrom.isSubset(of: neighbours))
            // The default MAX_ACTION for 2 neighbours is the seed's 10, and it is logged.
            #expect(records.first { $0.kind == .start }?.maxAction == 10)
        }
        let analyze = try await workspace.run("analyze", ["analyze", out])
        #expect(analyze.exit == .code(0), "\(analyze.standardOutput)\n\(analyze.standardError)")
    }
}
