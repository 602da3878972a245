import Foundation
import SystemCalls
import Testing

@testable import Orchestration

@Suite struct FreePortsTests {
    /// A namespace of host-wide claims no other test (or process) uses.
    static func privateNamespace() -> String { "vmserver-test-\(getpid())-\(UUID().uuidString.prefix(8))" }

    @Test("when every candidate port was handed out before, allocate throws instead of coming back short")
    func exhaustedLedgerThrows() throws {
        let ledger = HandedOutPorts(namespace: Self.privateNamespace())
        for port in 10_000..<32_768 { _ = ledger.claim(port) }
        #expect(throws: FreePortsError.self) { try FreePorts.allocate(2, ledger: ledger) }
        #expect(throws: FreePortsError.self) { try FreePorts.allocateOne(ledger: ledger) }
        do {
            let ports = try FreePorts.allocate(3, ledger: ledger)
            Issue.record("allocated \(ports) from an exhausted ledger")
        } catch let error as FreePortsError {
            #expect(error.requested == 3 && error.found == 0)
            #expect(error.description.contains("3 needed"))
        }
        #expect(ledger.heldBlockCount == 0, "no block is claimed when none has a port left")
    }

    @Test("a ledger hands out each port once")
    func claimOnce() throws {
        let ledger = HandedOutPorts(namespace: Self.privateNamespace())
        #expect(ledger.claim(12_345))
        #expect(!ledger.claim(12_345))
        #expect(ledger.claim(12_346))
        let ports = try FreePorts.allocate(100, ledger: ledger)
        #expect(Set(ports).count == 100)
        #expect(!ports.contains(12_345) && !ports.contains(12_346))
    }

    @Test("zero ports asked: none, no error")
    func zero() throws {
        #expect(try FreePorts.allocate(0, ledger: HandedOutPorts(namespace: Self.privateNamespace())).isEmpty)
    }

    @Test("two ledgers on one host (as two processes have) never hand out the same port, nor the same block")
    func ledgersExcludeEachOther() throws {
        let namespace = Self.privateNamespace()
        let first = HandedOutPorts(namespace: namespace)
        let second = HandedOutPorts(namespace: namespace)
        var firstPorts: [Int] = []
        var secondPorts: [Int] = []
        for _ in 0..<20 {
            firstPorts += try FreePorts.allocate(7, ledger: first)
            secondPorts += try FreePorts.allocate(7, ledger: second)
        }
        #expect(Set(firstPorts).isDisjoint(with: secondPorts))
        let blockOf = { (port: Int) in port / HandedOutPorts.blockSize }
        #expect(Set(firstPorts.map(blockOf)).isDisjoint(with: secondPorts.map(blockOf)))
        // 140 ports in blocks of 16: about 9 blocks each, one descriptor per block.
        #expect(first.heldBlockCount <= 140 / HandedOutPorts.blockSize + 2)
    }

    @Test("a released block can be claimed by another ledger, and a held one cannot")
    func releasedBlocksAreFree() throws {
        let namespace = Self.privateNamespace()
        let holder = HandedOutPorts(namespace: namespace)
        let port = try FreePorts.allocateOne(ledger: holder)
        let name = "\(namespace)-\(port / HandedOutPorts.blockSize)"
        #expect(HostWideClaim(name: name) == nil, "the block is held")
        holder.releaseBlocks()
        let claim = try #require(HostWideClaim(name: name), "the block is free after releaseBlocks")
        claim.release()
        #expect(holder.heldBlockCount == 0)
    }
}
