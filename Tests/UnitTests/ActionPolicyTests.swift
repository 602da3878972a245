import Testing

@testable import LamportCore

@Suite struct ActionPolicyTests {
    @Test func peersAreSortedAndClusterSizeCountsSelf() {
        let policy = ActionPolicy(peers: [3, 1])
        #expect(policy.peers == [1, 3])
        #expect(policy.sendingActions == 3)
    }

    @Test func classicThreeVMMapping() {
        let policy = ActionPolicy(peers: [3, 2])  // VM 1, peers given unsorted
        #expect(policy.action(forRoll: 1) == .send(to: [2]))
        #expect(policy.action(forRoll: 2) == .send(to: [3]))
        #expect(policy.action(forRoll: 3) == .send(to: [2, 3]))
        for roll in 4...10 {
            #expect(policy.action(forRoll: roll) == .internalEvent, "roll \(roll)")
        }
    }

    @Test func classicMappingForVMInTheMiddle() {
        let policy = ActionPolicy(peers: [1, 3])  // VM 2
        #expect(policy.action(forRoll: 1) == .send(to: [1]))
        #expect(policy.action(forRoll: 2) == .send(to: [3]))
        #expect(policy.action(forRoll: 3) == .send(to: [1, 3]))
        for roll in 4...10 {
            #expect(policy.action(forRoll: roll) == .internalEvent, "roll \(roll)")
        }
    }

    @Test func classicMappingForLastVM() {
        let policy = ActionPolicy(peers: [2, 1])  // VM 3
        #expect(policy.action(forRoll: 1) == .send(to: [1]))
        #expect(policy.action(forRoll: 2) == .send(to: [2]))
        #expect(policy.action(forRoll: 3) == .send(to: [1, 2]))
        #expect(policy.action(forRoll: 4) == .internalEvent)
    }

    @Test func fiveVMGeneralisation() {
        let policy = ActionPolicy(peers: [5, 1, 4, 2])  // VM 3
        #expect(policy.sendingActions == 5)
        #expect(policy.action(forRoll: 1) == .send(to: [1]))
        #expect(policy.action(forRoll: 2) == .send(to: [2]))
        #expect(policy.action(forRoll: 3) == .send(to: [4]))
        #expect(policy.action(forRoll: 4) == .send(to: [5]))
        #expect(policy.action(forRoll: 5) == .send(to: [1, 2, 4, 5]))
        for roll in 6...10 {
            #expect(policy.action(forRoll: roll) == .internalEvent, "roll \(roll)")
        }
    }

    @Test func twoVMClusterFirstPeerThenAll() {
        let policy = ActionPolicy(peers: [1])
        #expect(policy.action(forRoll: 1) == .send(to: [1]))
        #expect(policy.action(forRoll: 2) == .send(to: [1]))
        #expect(policy.action(forRoll: 3) == .internalEvent)
    }

    @Test(arguments: [-5, 0, 1, 2, 3, 10, 1000])
    func singleVMClusterIsAlwaysInternal(roll: Int) {
        let policy = ActionPolicy(peers: [])
        #expect(policy.sendingActions == 1)
        #expect(policy.action(forRoll: roll) == .internalEvent)
    }

    @Test(arguments: [Int.min, -1, 0, 11, 1000, Int.max])
    func outOfRangeRollsAreInternal(roll: Int) {
        #expect(ActionPolicy(peers: [1, 3]).action(forRoll: roll) == .internalEvent)
        #expect(ActionPolicy(peers: [1, 2, 3, 4]).action(forRoll: roll) == .internalEvent)
    }
}
