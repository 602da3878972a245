import Testing

@testable import LamportCore
@testable import Settings

@Suite struct TopologyGraphTests {
    /// Every link is listed on both sides, no VM is its own neighbour, lists are ascending, and the
    /// largest neighbour count is the largest list's length.
    private func expectWellFormed(_ graph: TopologyGraph, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(
            graph.largestNeighbourCount == (1...graph.vmCount).map { graph.neighbours(of: $0).count }.max(),
            sourceLocation: sourceLocation)
        for vm in 1...graph.vmCount {
            let neighbours = graph.neighbours(of: vm)
            #expect(neighbours == neighbours.sorted(), "VM \(vm) ascending", sourceLocation: sourceLocation)
            #expect(Set(neighbours).count == neighbours.count, "VM \(vm) no repeats", sourceLocation: sourceLocation)
            #expect(!neighbours.contains(vm), "VM \(vm) not its own neighbour", sourceLocation: sourceLocation)
            for other in neighbours {
                #expect(
                    graph.neighbours(of: other).contains(vm), "link \(vm)-\(other) on both sides",
                    sourceLocation: sourceLocation)
            }
        }
    }

    @Test func fullLinksEveryPair() throws {
        let graph = try TopologyGraph(.full, vmCount: 5, seed: 1)
        #expect(graph.neighbours(of: 3) == [1, 2, 4, 5])
        #expect(graph.linkCount == 10)
        #expect(graph.largestNeighbourCount == 4)
        #expect(graph.isConnected)
        expectWellFormed(graph)
    }

    @Test func ringLinksEachVMToTheNextAndThePrevious() throws {
        let graph = try TopologyGraph(.ring, vmCount: 6, seed: 1)
        #expect(graph.neighbours(of: 1) == [2, 6])
        #expect(graph.neighbours(of: 4) == [3, 5])
        #expect(graph.linkCount == 6)
        #expect(try TopologyGraph(.ring, vmCount: 2, seed: 1).neighbours(of: 1) == [2])
        #expect(try TopologyGraph(.ring, vmCount: 1, seed: 1).neighbours(of: 1) == [])
        expectWellFormed(graph)
    }

    @Test func gridFillsRowsOfTheSquareRootAndLinksTheFourSides() throws {
        // 10 VMs in rows of 4:  1 2 3 4 / 5 6 7 8 / 9 10
        let graph = try TopologyGraph(.grid, vmCount: 10, seed: 1)
        #expect(graph.neighbours(of: 1) == [2, 5])
        #expect(graph.neighbours(of: 6) == [2, 5, 7, 10])
        #expect(graph.neighbours(of: 8) == [4, 7])
        #expect(graph.neighbours(of: 10) == [6, 9])
        #expect(graph.largestNeighbourCount == 4)
        #expect(graph.isConnected)
        expectWellFormed(graph)
    }

    @Test(
        "random:K gives every VM K neighbours (one fewer for a few), is connected, and depends on the seed alone",
        arguments: [(10, 3), (50, 4), (1000, 4), (2001, 5), (300, 2)])
    func randomGraphs(vmCount: Int, degree: Int) throws {
        let graph = try TopologyGraph(.random(neighbours: degree), vmCount: vmCount, seed: 7)
        expectWellFormed(graph)
        #expect(graph.isConnected)
        let counts = (1...vmCount).map(graph.neighbourCount(of:))
        #expect(counts.allSatisfy { $0 == degree || $0 == degree - 1 }, "\(Set(counts))")
        #expect(
            counts.filter { $0 == degree - 1 }.count == (vmCount * degree) % 2, "one short of K only when N x K is odd")
        let again = try TopologyGraph(.random(neighbours: degree), vmCount: vmCount, seed: 7)
        #expect(again == graph)
        let other = try TopologyGraph(.random(neighbours: degree), vmCount: vmCount, seed: 8)
        #expect(other != graph)
    }

    @Test func randomWithAsManyNeighboursAsVMsIsFull() throws {
        let graph = try TopologyGraph(.random(neighbours: 9), vmCount: 4, seed: 1)
        #expect(graph.linkCount == 6)
    }

    @Test func topologiesThatCannotBeBuiltSayWhy() {
        #expect(throws: TopologyError.self) { try TopologyGraph(.random(neighbours: 1), vmCount: 5, seed: 1) }
        #expect(throws: TopologyError.self) { try TopologyGraph(.random(neighbours: 0), vmCount: 5, seed: 1) }
        #expect(throws: TopologyError.self) { try TopologyGraph(.explicit([1: [7]]), vmCount: 3, seed: 1) }
        #expect(throws: TopologyError.self) { try TopologyGraph(.explicit([2: [2]]), vmCount: 3, seed: 1) }
        #expect(throws: TopologyError.self) { try TopologyGraph(.explicit([9: [1]]), vmCount: 3, seed: 1) }
    }

    @Test func anExplicitLinkListedOnOneSideIsALinkOnBoth() throws {
        let graph = try TopologyGraph(.explicit([1: [2, 3], 3: [4]]), vmCount: 4, seed: 1)
        #expect(graph.neighbours(of: 1) == [2, 3])
        #expect(graph.neighbours(of: 2) == [1])
        #expect(graph.neighbours(of: 3) == [1, 4])
        #expect(graph.neighbours(of: 4) == [3])
        expectWellFormed(graph)
    }

    @Test(
        "the setting's text reads back to the same topology",
        arguments: ["full", "ring", "grid", "random:4", #"{"1": [2, 3], "2": [3]}"#])
    func textRoundTrip(text: String) throws {
        let topology = try TopologySetting.parse(text, setting: "TOPOLOGY")
        #expect(try TopologySetting.parse(topology.description, setting: "TOPOLOGY") == topology)
    }

    @Test(
        "a bad topology names the setting and says what is accepted",
        arguments: ["star", "random:", "random:0", "random:x", "{\"a\": [1]}", "{\"1\": 2}", "{\"1\": [0]}", "[1, 2]"])
    func badText(text: String) {
        let error = #expect(throws: SettingsError.self) { try TopologySetting.parse(text, setting: "TOPOLOGY") }
        #expect(error?.setting == "TOPOLOGY")
        #expect(error.map { !$0.description.contains("\n") } ?? false)
    }

    @Test func theDefaultMaxActionKeepsTheClassicShareOfInternalEvents() {
        // 2 neighbours: the seed's 10 (3 sending rolls, 7 internal).
        #expect(ActionPolicy.defaultMaxAction(neighbourCount: 2) == 10)
        #expect(ActionPolicy.defaultMaxAction(neighbourCount: 1) == 10)
        #expect(ActionPolicy.defaultMaxAction(neighbourCount: 4) == 17)
        #expect(ActionPolicy.defaultMaxAction(neighbourCount: 999) == 3334)
        for neighbours in 2...2000 {
            let maxAction = ActionPolicy.defaultMaxAction(neighbourCount: neighbours)
            let internalShare = Double(maxAction - neighbours - 1) / Double(maxAction)
            #expect(internalShare >= 0.7 - 1e-9 && internalShare < 0.7 + 1.0 / Double(maxAction), "K = \(neighbours)")
        }
    }

    @Test func theRollMapsOntoNeighbours() {
        let policy = ActionPolicy(peers: [9, 4, 17, 30])
        #expect(policy.action(forRoll: 1) == .send(to: [4]))
        #expect(policy.action(forRoll: 4) == .send(to: [30]))
        #expect(policy.action(forRoll: 5) == .send(to: [4, 9, 17, 30]))
        #expect(policy.action(forRoll: 6) == .internalEvent)
    }
}
