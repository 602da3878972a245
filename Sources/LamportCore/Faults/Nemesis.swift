/// A nemesis, as in Jepsen: every `everySeconds` it makes trouble of one `kind` for
/// `forSeconds`, choosing its victims afresh each cycle from a seed.
///
/// Pure schedule logic: which VMs are cut from which (or which VM is killed) in which cycle, and
/// when the cycles start. The drivers (the experiment runner, the simulator) turn a cycle into
/// `partition` faults with a `duration_s` of `forSeconds`, or a kill and a restart.
public struct Nemesis: Sendable, Equatable {
    public var kind: NemesisKind
    /// Seconds from one cycle's start to the next; the first starts this long into the phase.
    public var everySeconds: Double
    /// How long each cycle's trouble lasts, less than `everySeconds`.
    public var forSeconds: Double

    /// The shortest `every_s`: one second (each cycle is a request to every VM it touches).
    public static let minimumEverySeconds = 1.0
    /// The shortest `for_s`: a tenth of a second.
    public static let minimumForSeconds = 0.1

    /// Checks the timing: `every_s` from `minimumEverySeconds` to `RunLimits.maximumSeconds`,
    /// `for_s` from `minimumForSeconds` and below `every_s` (so the trouble of one cycle has ended
    /// when the next begins). The error names the field (`every_s`, `for_s`).
    public init(kind: NemesisKind, everySeconds: Double, forSeconds: Double) throws(FaultParameterError) {
        guard everySeconds >= Self.minimumEverySeconds, everySeconds <= RunLimits.maximumSeconds else {
            throw FaultParameterError(
                field: "every_s", problem: "must be from 1 to \(Int(RunLimits.maximumSeconds)) seconds")
        }
        guard forSeconds >= Self.minimumForSeconds, forSeconds < everySeconds else {
            throw FaultParameterError(
                field: "for_s", problem: "must be at least 0.1 seconds and less than the time between cycles")
        }
        self.kind = kind
        self.everySeconds = everySeconds
        self.forSeconds = forSeconds
    }

    /// When the cycles of a phase of `duration` seconds start, in seconds into the phase: cycle n
    /// at n x `everySeconds` (n = 1, 2, ...), while that is before the phase's end. So a phase
    /// starts calm, for comparison, and a cycle near the end is cut short by it.
    public func cycleStarts(within duration: Double) -> [Double] {
        var starts: [Double] = []
        var number = 1.0
        while number * everySeconds < duration {
            starts.append(number * everySeconds)
            number += 1
        }
        return starts
    }

    /// Cycle `number` (1, 2, ...) of phase `phaseIndex` on VMs 1...`vmCount`, drawn from `seed`:
    /// the same arguments always give the same cycle. `vmCount` must be at least
    /// `kind.minimumVMs`.
    public func cycle(_ number: Int, vmCount: Int, seed: UInt64, phaseIndex: Int) -> NemesisCycle {
        precondition(vmCount >= kind.minimumVMs, "\(kind.rawValue) needs at least \(kind.minimumVMs) VMs")
        var random = SeededRandom(
            seed: (seed ^ Self.streamMix) &+ UInt64(truncatingIfNeeded: phaseIndex) &* 0x9E37_79B9_7F4A_7C15,
            vmID: number)
        let order = Self.shuffled(Array(1...vmCount), using: &random)
        switch kind {
        case .partitionHalves:
            let small = Array(order.prefix(vmCount / 2)).sorted()
            let large = Array(order.dropFirst(vmCount / 2)).sorted()
            return NemesisCycle(
                number: number, cuts: Self.cutting(small, from: large), victim: nil,
                summary: "\(small) | \(large)")
        case .isolate:
            let alone = order[0]
            let others = Array(order.dropFirst()).sorted()
            return NemesisCycle(
                number: number, cuts: Self.cutting([alone], from: others), victim: nil, summary: "vm\(alone) alone")
        case .bridge:
            let bridge = order[0]
            let rest = order.dropFirst()
            let left = Array(rest.prefix((vmCount - 1) / 2)).sorted()
            let right = Array(rest.dropFirst((vmCount - 1) / 2)).sorted()
            return NemesisCycle(
                number: number, cuts: Self.cutting(left, from: right), victim: nil,
                summary: "\(left) | \(right) bridged by vm\(bridge)")
        case .majoritiesRing:
            let reach = (vmCount / 2 + 1) / 2
            var cuts: [Int: [Int]] = [:]
            for (position, vm) in order.enumerated() {
                cuts[vm] = order.indices.filter { other in
                    let gap = abs(other - position)
                    return min(gap, vmCount - gap) > reach
                }.map { order[$0] }.sorted()
            }
            return NemesisCycle(
                number: number, cuts: cuts, victim: nil,
                summary: "ring \(order.map(String.init).joined(separator: "-")), each reaching \(reach) on either side")
        case .kill:
            return NemesisCycle(number: number, cuts: [:], victim: order[0], summary: "vm\(order[0])")
        }
    }

    /// Mixed into the seed so the nemesis draws apart from the phases' random tick rates.
    static let streamMix: UInt64 = 0x6E65_6D65_7369_7321

    /// Both ways: every VM of `one` cut from every VM of `other`, and back.
    private static func cutting(_ one: [Int], from other: [Int]) -> [Int: [Int]] {
        var cuts: [Int: [Int]] = [:]
        for vm in one { cuts[vm] = other }
        for vm in other { cuts[vm] = one }
        return cuts
    }

    /// Fisher-Yates with `SeededRandom.roll`, so the order depends on the seed alone.
    private static func shuffled(_ items: [Int], using random: inout SeededRandom) -> [Int] {
        var items = items
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, random.roll(in: 0...index))
        }
        return items
    }
}
