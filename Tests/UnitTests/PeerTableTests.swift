import Testing

@testable import Analysis

/// `PeerTable` answers as a dictionary keyed by peer id would, while it searches a short list and
/// after it switched to positions in a dictionary (more than 16 peers).
@Suite struct PeerTableTests {
    @Test("reads and updates give what a Dictionary gives, for 3 peers and for 40 (past the switch)")
    func behavesLikeADictionary() {
        for peerCount in [3, 40] {
            var table = PeerTable<[Int]>()
            var expected: [Int: [Int]] = [:]
            var state: UInt64 = 42
            for step in 0..<2_000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Ids far apart and negative ones too: the table is keyed by value, not position.
                let peer = Int(state >> 33) % peerCount * 7_919 - 5
                table[peer, default: []].append(step)
                expected[peer, default: []].append(step)
                #expect(table[peer] == expected[peer])
            }
            #expect(table.count == expected.count)
            for (peer, values) in expected { #expect(table[peer] == values) }
            #expect(table[123_456_789] == nil)
            #expect(table[123_456_789, default: [9]] == [9])
            #expect(table.count == expected.count, "reading with a default adds nothing")
        }
    }
}
