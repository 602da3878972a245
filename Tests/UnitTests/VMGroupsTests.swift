import Testing

@testable import Analysis

/// Grouping VMs by tick rate for the reports of many VMs, and the spread of a figure over a group.
@Suite struct VMGroupsTests {
    static func summary(_ vm: Int, rate: Double?, changed: Bool = false) -> VMRunSummary {
        var summary = VMRunSummary(vm: vm)
        summary.configuredTickRate = rate
        summary.tickRateChanged = changed
        return summary
    }

    @Test("up to 32 VMs the reports show each VM; above, groups")
    func threshold() {
        #expect(!VMGroups.isGrouped(vmCount: 3))
        #expect(!VMGroups.isGrouped(vmCount: VMGroups.threshold))
        #expect(VMGroups.isGrouped(vmCount: VMGroups.threshold + 1))
    }

    @Test("VMs group by rate rounded to a whole number; varied, max and unknown rates get a group each, last")
    func byRoundedRate() {
        let summaries = [
            Self.summary(1, rate: 2.2), Self.summary(2, rate: 1), Self.summary(3, rate: 1.9),
            Self.summary(4, rate: 3, changed: true), Self.summary(5, rate: .infinity), Self.summary(6, rate: nil),
        ]
        let groups = VMGroups(summaries).groups
        #expect(groups.map(\.label) == ["1/s", "2/s", "varied", "max", "unknown"])
        #expect(groups.map(\.members) == [[1], [0, 2], [3], [4], [5]])
    }

    @Test("more whole rates than six merge into at most six bands of neighbouring rates, every VM in one")
    func bands() {
        let summaries = (1...100).map { Self.summary($0, rate: Double($0 % 20 + 1)) }
        let groups = VMGroups(summaries).groups
        #expect(groups.count == VMGroups.maxGroups)
        #expect(groups.first?.label.hasPrefix("1-") == true && groups.last?.label.hasSuffix("-20/s") == true)
        #expect(groups.flatMap(\.members).sorted() == Array(0..<100))
        #expect(
            groups.allSatisfy { $0.members.count >= 10 && $0.members.count <= 25 }, "\(groups.map(\.members.count))")
    }

    @Test("a spread is p50 / p90 / max by nearest rank and names the VM at the max, the lowest id among ties")
    func spread() throws {
        let values = (1...10).map { (value: Double($0), vm: 100 + $0) } + [(value: 10, vm: 7)]
        let spread = try #require(Spread(values))
        #expect(spread.p50 == 6 && spread.p90 == 10 && spread.max == 10 && spread.maxVM == 7)
        #expect(spread.text() == "6 / 10 / 10 (VM 7)")
        #expect(spread.compactText == "6/10/10 (7)")
        #expect(Spread([(value: 0, vm: 3), (value: 0, vm: 4)])?.text() == "0 / 0 / 0", "no VM named for a max of 0")
        #expect(Spread([]) == nil)
        #expect(Spread([(value: 0.125, vm: 1)])?.text() == "0.13 / 0.13 / 0.13 (VM 1)")
    }

    @Test("a group's jump histogram is the sum of its VMs'")
    func mergedJumps() {
        var first = JumpHistogram()
        [0, 3, 3, 40].forEach { first.add($0) }
        var second = JumpHistogram()
        [0, 0, 3, 7].forEach { second.add($0) }
        var merged = first
        merged.merge(second)
        #expect(merged.receives == 8 && merged.jumps == 5 && merged.largest == 40)
        #expect(merged.counts == [3: 3, 7: 1, 40: 1])
    }
}
