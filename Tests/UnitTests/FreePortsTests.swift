import Testing

@testable import Orchestration

@Suite struct FreePortsTests {
    @Test("when every candidate port was handed out before, allocate throws instead of coming back short")
    func exhaustedLedgerThrows() throws {
        let ledger = HandedOutPorts()
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
    }

    @Test("a ledger hands out each port once")
    func claimOnce() {
        let ledger = HandedOutPorts()
        #expect(ledger.claim(12_345))
        #expect(!ledger.claim(12_345))
        #expect(ledger.claim(12_346))
    }

    @Test("zero ports asked: none, no error")
    func zero() throws {
        #expect(try FreePorts.allocate(0, ledger: HandedOutPorts()).isEmpty)
    }
}
