/// A small, fast, seedable random generator (SplitMix64).
///
/// The standard library offers no seedable generator and none of the project's packages does,
/// so this one is written here: the same seed always yields the same sequence, on every platform,
/// which makes runs and tests reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    /// A generator for one VM of a cluster: the run's seed mixed with the VM id, so every VM of a
    /// seeded run draws a different but reproducible sequence.
    public init(seed: UInt64, vmID: Int) {
        var mixer = SeededRandom(seed: seed ^ (UInt64(truncatingIfNeeded: vmID) &* 0x9E37_79B9_7F4A_7C15))
        self.state = mixer.next()
    }

    /// The next 64 random bits of the SplitMix64 sequence. The sequence depends on the seed
    /// alone, on every platform: seeded runs and the simulator's logs are reproducible only as
    /// long as it never changes.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly distributed integer in `range`, drawn with the standard library's unbiased method.
    public mutating func roll(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }
}
