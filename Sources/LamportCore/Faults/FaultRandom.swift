/// The random draws of the fault model: its own `SeededRandom` stream, apart from the VM's.
///
/// The VM's action rolls come from `SeededRandom(seed:vmID:)`; the faults draw from a stream
/// derived from the same seed and id with `streamSalt`, so adding, removing or rolling a fault
/// never changes which actions the VM rolls, and the same seed with the same sequence of calls
/// gives the same fates. All arithmetic is plain IEEE double arithmetic written here (no libm),
/// so the draws are the same on every platform.
public struct FaultRandom: Sendable, Equatable {
    /// XORed into the run's seed before the VM id is mixed in: "FAULTS" in ASCII, in the high bits.
    public static let streamSalt: UInt64 = 0x4641_554C_5453_0000

    private var generator: SeededRandom

    /// The fault stream of VM `vmID` in a run seeded with `seed`.
    public init(seed: UInt64, vmID: Int) {
        generator = SeededRandom(seed: seed ^ Self.streamSalt, vmID: vmID)
    }

    /// A stream over any generator (tests pin one).
    public init(generator: SeededRandom) {
        self.generator = generator
    }

    /// A uniform draw from [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    /// True with `probability` (one draw, always taken, so the number of draws does not depend on
    /// the outcome): never for 0, always for 1.
    public mutating func fires(probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniform whole number in `range`.
    public mutating func uniform(in range: ClosedRange<Int64>) -> Int64 {
        Int64.random(in: range, using: &generator)
    }

    /// An exponential draw of mean `mean`, by inversion: `-mean * ln(u)` for u in (0, 1].
    public mutating func exponential(mean: Double) -> Double {
        let u = (Double(generator.next() >> 11) + 1) * 0x1p-53
        return -mean * Self.naturalLogarithm(u)
    }

    /// ln(x) for a finite x > 0, from the binary exponent and the atanh series of the
    /// significand, to within a few ulps. Written out because LamportCore imports no C library.
    static func naturalLogarithm(_ x: Double) -> Double {
        precondition(x > 0 && x.isFinite, "naturalLogarithm of a value that is not finite and above 0")
        var exponent = Double(x.exponent)
        var significand = x.significand  // in [1, 2)
        if significand > 1.414_213_562_373_095_1 {
            significand /= 2
            exponent += 1
        }
        // ln(m) = 2 atanh(z), z = (m - 1) / (m + 1), |z| < 0.172: 20 odd terms are past 1e-30.
        let z = (significand - 1) / (significand + 1)
        let zSquared = z * z
        var power = z
        var sum = 0.0
        for k in 0..<20 {
            sum += power / Double(2 * k + 1)
            power *= zSquared
        }
        return exponent * 0.693_147_180_559_945_3 + 2 * sum
    }
}
