import Testing

@testable import Analysis

/// `MessageTable` answers as a `Dictionary<MessageKey, Value>` would, through growth and through
/// removals that shift the entries after them back (the case where a wrong shift loses a key).
@Suite struct MessageTableTests {
    /// A pseudo-random walk over a few keys at a time, so inserts, replacements, lookups and
    /// removals mix, and the table grows from 16 slots to thousands and empties again.
    @Test("inserts, replacements, in-place changes and removals give what a Dictionary gives, through growth")
    func behavesLikeADictionary() {
        for keyRange in [8, 300, 5_000] {
            var table = MessageTable<[Int]>()
            var expected: [MessageKey: [Int]] = [:]
            var state: UInt64 = UInt64(keyRange)
            for step in 0..<40_000 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let draw = Int(state >> 33)
                // Negative and far-apart ids too: the table is keyed by value.
                let key = MessageKey(from: draw % 7 - 3, sendSeq: (draw >> 3) % keyRange * 1_009)
                switch (draw >> 20) % 4 {
                case 0, 1:
                    // Grows more than it shrinks in the first half, then shrinks.
                    if step < 20_000 {
                        table[key] = [step]
                        expected[key] = [step]
                    } else {
                        #expect(table.removeValue(forKey: key) == expected.removeValue(forKey: key))
                    }
                case 2:
                    if let slot = table.index(forKey: key) {
                        table[valueAt: slot].append(step)
                        expected[key]!.append(step)
                    } else {
                        #expect(expected[key] == nil)
                    }
                default:
                    if let slot = table.index(forKey: key) {
                        #expect(table.remove(at: slot) == expected.removeValue(forKey: key))
                    } else {
                        #expect(expected[key] == nil)
                        table[key] = nil
                    }
                }
                #expect(table.count == expected.count)
                #expect(table[key] == expected[key])
            }
            for (key, value) in expected { #expect(table[key] == value) }
            let entries = table.entries.sorted { ($0.key.from, $0.key.sendSeq) < ($1.key.from, $1.key.sendSeq) }
            let wanted = expected.sorted { ($0.key.from, $0.key.sendSeq) < ($1.key.from, $1.key.sendSeq) }
            #expect(entries.map(\.key) == wanted.map(\.key))
            #expect(entries.map(\.value) == wanted.map(\.value))
        }
    }

    @Test("keys that share a home slot all stay reachable after any one of them is removed")
    func collidingKeysSurviveRemovals() {
        // Many keys in a small table: long probe runs that wrap around the end of the slots.
        let keys = (0..<11).map { MessageKey(from: 1, sendSeq: $0) }
        for removed in keys.indices {
            var table = MessageTable<Int>()
            for (index, key) in keys.enumerated() { table[key] = index }
            #expect(table.removeValue(forKey: keys[removed]) == removed)
            for (index, key) in keys.enumerated() {
                #expect(table[key] == (index == removed ? nil : index))
            }
            table.removeAll()
            #expect(table.isEmpty)
            #expect(table[keys[0]] == nil)
        }
    }
}
