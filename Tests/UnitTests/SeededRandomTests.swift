import Testing

@testable import LamportCore

@Suite struct SeededRandomTests {
    @Test func isSplitMix64() {
        // Reference outputs of SplitMix64 for seed 0: pinning them keeps seeded runs reproducible.
        var random = SeededRandom(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(random.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func sameSeedSameSequence() {
        var first = SeededRandom(seed: 12345)
        var second = SeededRandom(seed: 12345)
        for _ in 0..<100 {
            #expect(first.next() == second.next())
        }
    }

    @Test func differentSeedsDiffer() {
        var first = SeededRandom(seed: 1)
        var second = SeededRandom(seed: 2)
        let a = (0..<10).map { _ in first.next() }
        let b = (0..<10).map { _ in second.next() }
        #expect(a != b)
    }

    @Test func vmIDMixingIsReproducibleAndDistinctPerVM() {
        var vm1 = SeededRandom(seed: 7, vmID: 1)
        var vm1Again = SeededRandom(seed: 7, vmID: 1)
        var vm2 = SeededRandom(seed: 7, vmID: 2)
        let a = (0..<10).map { _ in vm1.next() }
        let b = (0..<10).map { _ in vm1Again.next() }
        let c = (0..<10).map { _ in vm2.next() }
        #expect(a == b)
        #expect(a != c)
        #expect(SeededRandom(seed: 7, vmID: 1) != SeededRandom(seed: 8, vmID: 1))
    }

    @Test func rollStaysInRangeAndCoversIt() {
        var random = SeededRandom(seed: 99, vmID: 3)
        var seen = Set<Int>()
        for _ in 0..<2000 {
            let roll = random.roll(in: 1...10)
            #expect((1...10).contains(roll))
            seen.insert(roll)
        }
        #expect(seen == Set(1...10))
    }

    @Test func rollsAreReproducible() {
        var first = SeededRandom(seed: 2026, vmID: 5)
        var second = SeededRandom(seed: 2026, vmID: 5)
        #expect((0..<50).map { _ in first.roll(in: 1...6) } == (0..<50).map { _ in second.roll(in: 1...6) })
    }
}
