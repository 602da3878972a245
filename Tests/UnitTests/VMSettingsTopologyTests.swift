import Testing

@testable import LamportCore
@testable import Settings

/// TOPOLOGY: which VMs a VM dials, accepts and waits for, and the MAX_ACTION that follows.
@Suite struct VMSettingsTopologyTests {
    static func resolve(_ values: [String: String]) throws(SettingsError) -> VMSettings {
        try VMSettings.resolve(values, randomSeed: 1)
    }

    @Test("full is the default: every other VM is a neighbour, MAX_ACTION 10 for 3 VMs")
    func fullByDefault() throws {
        let settings = try Self.resolve(["VM_ID": "2", "PORT": "5002"])
        #expect(settings.topology == .full)
        #expect(settings.neighbourIDs == [1, 3])
        #expect(settings.maxAction == 10)
    }

    @Test("in a ring a VM's neighbours are the VMs beside it; other PEERS entries are ignored, not errors")
    func ringNeighbours() throws {
        let settings = try Self.resolve([
            "VM_ID": "1", "PORT": "5001", "TOTAL_VMS": "5", "TOPOLOGY": "ring",
            "PEERS": #"{"2": 5002, "3": 5003, "5": 5005}"#,
        ])
        #expect(settings.neighbourIDs == [2, 5])
        #expect(settings.peers.map(\.id) == [2, 5])
        #expect(settings.ignoredPeerIDs == [3])
        #expect(settings.maxAction == ActionPolicy.defaultMaxAction(neighbourCount: 2))
    }

    @Test("the default MAX_ACTION keeps the classic share for any neighbour count; the least is K + 1")
    func maxActionFollowsNeighbours() throws {
        let big = try Self.resolve(["VM_ID": "1", "PORT": "5001", "TOTAL_VMS": "400"])
        #expect(big.maxAction == 1334, "ceil(10 * 400 / 3)")
        let random = try Self.resolve([
            "VM_ID": "7", "PORT": "5001", "TOTAL_VMS": "1000", "TOPOLOGY": "random:4", "SEED": "1",
        ])
        #expect(random.neighbourIDs.count == 4)
        #expect(random.maxAction == 17)
        let least = try Self.resolve([
            "VM_ID": "7", "PORT": "5001", "TOTAL_VMS": "1000", "TOPOLOGY": "random:4", "SEED": "1", "MAX_ACTION": "5",
        ])
        #expect(least.maxAction == 5)
    }

    @Test("with the same SEED every VM draws the same random graph: links are symmetric")
    func randomGraphAgreedBySeed() throws {
        var neighbours: [Int: [Int]] = [:]
        for vm in 1...30 {
            neighbours[vm] =
                try Self.resolve([
                    "VM_ID": String(vm), "PORT": "5001", "TOTAL_VMS": "30", "TOPOLOGY": "random:3", "SEED": "42",
                ]).neighbourIDs
        }
        for (vm, list) in neighbours {
            #expect(list.count == 3)
            for other in list { #expect(neighbours[other]?.contains(vm) == true, "\(vm)-\(other) is one-sided") }
        }
    }

    @Test("random:K without SEED is refused, naming TOPOLOGY and saying why")
    func randomNeedsSeed() {
        let error = #expect(throws: SettingsError.self) {
            try Self.resolve(["VM_ID": "1", "PORT": "5001", "TOTAL_VMS": "10", "TOPOLOGY": "random:3"])
        }
        #expect(error?.setting == "TOPOLOGY")
        #expect(error?.message.contains("set SEED") == true, "\(String(describing: error))")
    }

    @Test("TOTAL_VMS goes well beyond 1000: a sparse cluster of 10,000 VMs spreads over hosts")
    func manyVMs() throws {
        let settings = try Self.resolve([
            "VM_ID": "10000", "PORT": "5001", "TOTAL_VMS": "10000", "TOPOLOGY": "ring",
        ])
        #expect(settings.neighbourIDs == [1, 9999])
    }
}
