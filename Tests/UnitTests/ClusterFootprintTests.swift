import Testing

@testable import LamportCore
@testable import Orchestration
@testable import Settings

/// What a cluster needs of its host, computed before starting, and the line that refuses it.
@Suite struct ClusterFootprintTests {
    static let roomy = HostResources(
        openFilesPerProcess: 20_000, openFilesInTotal: 2_000_000, ports: 22_768, availableMiB: 23_000,
        threads: 30_000)

    static func footprint(_ topology: Topology, vms: Int) throws -> ClusterFootprint {
        ClusterFootprint(graph: try TopologyGraph(topology, vmCount: vms, seed: 1))
    }

    @Test("1000 VMs with random:4 fit a roomy host; the line says what they need and what it allows")
    func thousandSparseVMsFit() throws {
        let footprint = try Self.footprint(.random(neighbours: 4), vms: 1000)
        #expect(footprint.linkCount == 2000)
        #expect(footprint.ports == 2000)
        #expect(footprint.descriptorsPerVM == 4 + ClusterFootprint.fixedDescriptorsPerVM)
        #expect(
            footprint.descriptorsInTotal
                == 2 * 2000 + 1000 * ClusterFootprint.fixedDescriptorsPerVM + 1000 + 2000 / HandedOutPorts.blockSize
                + 64)
        let line = try footprint.check(against: Self.roomy)
        #expect(line.hasPrefix("1000 VMs, topology random:4 (2000 links): needs ~"), "\(line)")
        #expect(line.contains("2000 ports") && line.contains("this host allows 20000 fds per process"), "\(line)")
    }

    @Test("a full mesh needs a descriptor per other VM in every VM")
    func fullMeshDescriptors() throws {
        let footprint = try Self.footprint(.full, vms: 400)
        #expect(footprint.largestNeighbourCount == 399)
        #expect(footprint.linkCount == 400 * 399 / 2)
        #expect(footprint.descriptorsPerVM == 399 + ClusterFootprint.fixedDescriptorsPerVM)
        #expect(throws: Never.self) { try footprint.check(against: Self.roomy) }
    }

    @Test("a cluster beyond the host is one line naming --vms, each short resource and by how much")
    func beyondTheHost() throws {
        let footprint = try Self.footprint(.full, vms: 100_000)
        let error = try #require(throws: SettingsError.self) { try footprint.check(against: Self.roomy) }
        #expect(error.setting == "--vms")
        #expect(!error.description.contains("\n"))
        let short = 99_999 + ClusterFootprint.fixedDescriptorsPerVM - 20_000
        #expect(error.message.contains("open files per VM: \(99_999 + ClusterFootprint.fixedDescriptorsPerVM) needed"))
        #expect(error.message.contains("\(short) short"), "\(error)")
        #expect(error.message.contains("ports: 200000 needed, 22768"), "\(error)")
        #expect(error.message.contains("sparser --topology"), "\(error)")
    }

    @Test("memory alone can be the short resource")
    func memoryShort() throws {
        let footprint = try Self.footprint(.ring, vms: 100)
        var host = Self.roomy
        host.availableMiB = 100
        let error = try #require(throws: SettingsError.self) { try footprint.check(against: host) }
        #expect(error.message.contains("memory: ~\(footprint.memoryMiB) MiB needed, 100 MiB available"), "\(error)")
        #expect(error.message.contains("\(footprint.memoryMiB - 100) MiB short"))
        #expect(!error.message.contains("open files") && !error.message.contains("ports:"))
    }

    @Test("threads and ports are checked too")
    func threadsAndPorts() throws {
        let footprint = try Self.footprint(.ring, vms: 1000)
        var host = Self.roomy
        host.threads = 500
        host.ports = 1500
        let error = try #require(throws: SettingsError.self) { try footprint.check(against: host) }
        #expect(error.message.contains("threads: ~\(footprint.threads) needed"), "\(error)")
        #expect(error.message.contains("ports: 2000 needed, 1500 in the range VMs listen on: 500 short"), "\(error)")
    }

    @Test("this host's figures read from /proc are plausible")
    func currentHost() {
        let host = HostResources.current()
        #expect(host.openFilesPerProcess > 0 && host.ports > 1000 && host.availableMiB > 0 && host.threads > 0)
    }
}
