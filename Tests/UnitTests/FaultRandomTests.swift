import Testing

@testable import LamportCore

/// The fault stream: reproducible, apart from the VM's action stream, platform-independent.
@Suite struct FaultRandomTests {
    /// The fates of `count` sends to peers 2 and 3 under a mix of random faults.
    static func fates(seed: UInt64, count: Int = 500) throws -> [SendFate] {
        var faults = FaultSet(vmID: 2, peers: [1, 3], random: FaultRandom(seed: seed, vmID: 2))
        for kind: FaultKind in [
            .loss(probability: 0.25), .duplicate(probability: 0.25),
            .delay(milliseconds: 1, jitterMilliseconds: 2, distribution: .exponential),
            .delay(milliseconds: 0, jitterMilliseconds: 2, distribution: .uniform),
        ] {
            _ = try faults.add(FaultRequest(kind: kind), at: 0)
        }
        return (1...count).flatMap { seq in
            [1, 3].map { faults.route(PeerMessage(from: 2, sendSeq: seq, clock: seq), to: $0, at: Int64(seq) * 10) }
        }
    }

    @Test func sameSeedSameFates() throws {
        #expect(try Self.fates(seed: 42) == Self.fates(seed: 42))
        #expect(try Self.fates(seed: 42) != Self.fates(seed: 43))
    }

    @Test func pinnedFirstDraws() {
        // Pinning the stream: the fates of a seeded run must not change between versions.
        var random = FaultRandom(seed: 0, vmID: 1)
        var expected = SeededRandom(seed: FaultRandom.streamSalt, vmID: 1)
        for _ in 0..<5 {
            #expect(random.unit() == Double(expected.next() >> 11) * 0x1p-53)
        }
    }

    @Test func theFaultStreamIsNotTheVMStream() {
        var faults = FaultRandom(seed: 42, vmID: 1)
        var actions = SeededRandom(seed: 42, vmID: 1)
        let a = (0..<10).map { _ in faults.unit() }
        let b = (0..<10).map { _ in Double(actions.next() >> 11) * 0x1p-53 }
        #expect(a != b)
    }

    /// The VM rolls the same actions with or without faults on its sends.
    @Test func addingFaultsDoesNotChangeTheVMsActions() throws {
        func run(withFaults: Bool) throws -> [VMEvent] {
            var core = VMCoreTests.makeCore(id: 1, seed: 42)
            var faults = FaultSet(vmID: 1, peers: [2, 3], random: FaultRandom(seed: 42, vmID: 1))
            if withFaults {
                _ = try faults.add(FaultRequest(kind: .loss(probability: 0.5)), at: 0)
                _ = try faults.add(FaultRequest(kind: .duplicate(probability: 0.5)), at: 0)
                _ = try faults.add(
                    FaultRequest(kind: .delay(milliseconds: 1, jitterMilliseconds: 1, distribution: .uniform)), at: 0)
            }
            var events: [VMEvent] = []
            for tick in 0..<1_000 {
                let outcome = core.tick()
                events.append(outcome.event)
                if let (message, recipients) = outcome.outgoing, !faults.isIdle {
                    for recipient in recipients {
                        _ = faults.route(message, to: recipient, at: Int64(tick))
                    }
                }
            }
            return events
        }
        #expect(try run(withFaults: true) == run(withFaults: false))
    }

    @Test func naturalLogarithmMatchesKnownValues() {
        #expect(FaultRandom.naturalLogarithm(1) == 0)
        // Reference values from a libm (Python's math.log); the series stays within a few ulps.
        let references: [(Double, Double)] = [
            (2, 0.693_147_180_559_945_3), (0.5, -0.693_147_180_559_945_3), (0x1p-53, -36.736_800_569_677_1),
            (0.1, -2.302_585_092_994_045_5), (1.4142, 0.346_564_000_188_003_3), (0.999_999, -1.000_000_500_029_089e-6),
            (1.5, 0.405_465_108_108_164_4), (3e-7, -15.019_483_362_290_21),
        ]
        for (x, expected) in references {
            #expect(abs(FaultRandom.naturalLogarithm(x) - expected) <= 4 * expected.magnitude.ulp, "ln \(x)")
        }
    }

    @Test func exponentialDrawsHaveTheirMean() {
        var random = FaultRandom(seed: 3, vmID: 1)
        let draws = (0..<20_000).map { _ in random.exponential(mean: 100) }
        #expect(draws.allSatisfy { $0 >= 0 })
        let mean = draws.reduce(0, +) / 20_000
        #expect(mean > 97 && mean < 103)
    }
}
