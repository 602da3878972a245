import Testing

@testable import LamportCore

/// The nemesis schedules: each kind's shape, cuts both ways, the same cycle for the same seed,
/// other cycles other victims, and the cycles' start times.
@Suite struct NemesisTests {
    static func nemesis(_ kind: NemesisKind) throws -> Nemesis {
        try Nemesis(kind: kind, everySeconds: 10, forSeconds: 4)
    }

    /// Every cycle of the partition kinds for 2 to 9 VMs, a few seeds and cycles each.
    static func cycles(_ kind: NemesisKind) throws -> [(vms: Int, cycle: NemesisCycle)] {
        let nemesis = try nemesis(kind)
        return (kind.minimumVMs...9).flatMap { vms in
            [0, 1, 77].flatMap { seed in
                (1...4).map { number in
                    (vms, nemesis.cycle(number, vmCount: vms, seed: UInt64(seed), phaseIndex: 1))
                }
            }
        }
    }

    /// The VMs `vm` can reach, itself included.
    static func reachable(from vm: Int, of vms: Int, in cycle: NemesisCycle) -> Set<Int> {
        Set((1...vms).filter { cycle.reaches(vm, $0) })
    }

    @Test("every partition kind cuts both ways, only between the cluster's VMs, never a VM from itself")
    func symmetric() throws {
        for kind in NemesisKind.allCases where kind != .kill {
            for (vms, cycle) in try Self.cycles(kind) {
                for (vm, cut) in cycle.cuts {
                    #expect((1...vms).contains(vm) && !cut.contains(vm), "\(kind) \(cycle)")
                    #expect(cut == cut.sorted() && cut.allSatisfy { (1...vms).contains($0) })
                    let oneWay = cut.filter { !(cycle.cuts[$0] ?? []).contains(vm) }
                    #expect(oneWay.isEmpty, "\(kind): \(vm) cuts \(oneWay), not they it")
                }
                #expect(cycle.cuts.values.contains { !$0.isEmpty }, "\(kind) with \(vms) VMs cuts something")
                #expect(cycle.victim == nil)
            }
        }
    }

    @Test("partition_halves: two halves, each VM reaching exactly its own")
    func halves() throws {
        for (vms, cycle) in try Self.cycles(.partitionHalves) {
            let sides = Set((1...vms).map { Self.reachable(from: $0, of: vms, in: cycle) })
            #expect(sides.count == 2, "\(cycle)")
            #expect(sides.map(\.count).sorted() == [vms / 2, vms - vms / 2])
            #expect(sides.reduce(Set<Int>()) { $0.union($1) } == Set(1...vms))
        }
    }

    @Test("isolate: one VM reaches only itself, the others reach each other")
    func isolate() throws {
        for (vms, cycle) in try Self.cycles(.isolate) {
            let alone = (1...vms).filter { Self.reachable(from: $0, of: vms, in: cycle) == [$0] }
            #expect(alone.count == (vms == 2 ? 2 : 1), "\(cycle)")
            let lonely = try #require(alone.first { cycle.summary == "vm\($0) alone" }, "\(cycle)")
            for vm in 1...vms where vm != lonely {
                #expect(Self.reachable(from: vm, of: vms, in: cycle) == Set(1...vms).subtracting([lonely]))
            }
        }
    }

    @Test("bridge: one VM reaches all, the two sides only themselves and the bridge")
    func bridge() throws {
        for (vms, cycle) in try Self.cycles(.bridge) {
            let bridges = (1...vms).filter { Self.reachable(from: $0, of: vms, in: cycle).count == vms }
            #expect(bridges.count == 1, "\(cycle)")
            let bridge = try #require(bridges.first)
            #expect(cycle.cuts[bridge] == nil)
            let sides = Set((1...vms).filter { $0 != bridge }.map { Self.reachable(from: $0, of: vms, in: cycle) })
            #expect(sides.count == 2, "\(cycle)")
            #expect(sides.allSatisfy { $0.contains(bridge) })
            #expect(sides.map(\.count).sorted() == [(vms - 1) / 2 + 1, vms - 1 - (vms - 1) / 2 + 1])
            #expect(cycle.summary.hasSuffix("bridged by vm\(bridge)"))
        }
    }

    @Test("majorities_ring: each VM reaches a majority, itself included, and no two the same")
    func majoritiesRing() throws {
        for (vms, cycle) in try Self.cycles(.majoritiesRing) {
            let views = (1...vms).map { Self.reachable(from: $0, of: vms, in: cycle) }
            let reach = (vms / 2 + 1) / 2
            for (index, view) in views.enumerated() {
                #expect(view.contains(index + 1))
                #expect(view.count * 2 > vms, "\(vms) VMs: \(view) is no majority")
                #expect(view.count == 2 * reach + 1, "\(cycle)")
            }
            #expect(Set(views).count == vms, "\(vms) VMs: two VMs see the same majority in \(cycle)")
            #expect(cycle.summary.hasPrefix("ring "))
        }
    }

    @Test("kill: one victim among the VMs, no cuts")
    func kill() throws {
        let nemesis = try Self.nemesis(.kill)
        for vms in 1...6 {
            for number in 1...5 {
                let cycle = nemesis.cycle(number, vmCount: vms, seed: 3, phaseIndex: 0)
                #expect(cycle.cuts.isEmpty)
                #expect((1...vms).contains(try #require(cycle.victim)))
            }
        }
    }

    @Test("the same seed, phase and cycle give the same cycle; other cycles, phases or seeds differ")
    func reproducible() throws {
        for kind in NemesisKind.allCases {
            let nemesis = try Self.nemesis(kind)
            let first = (1...8).map { nemesis.cycle($0, vmCount: 6, seed: 42, phaseIndex: 2) }
            #expect(first == (1...8).map { nemesis.cycle($0, vmCount: 6, seed: 42, phaseIndex: 2) })
            #expect(first.map(\.number) == Array(1...8))
            #expect(Set(first.map(\.summary)).count > 1, "\(kind): eight cycles, all alike: \(first[0].summary)")
            let otherPhase = (1...8).map { nemesis.cycle($0, vmCount: 6, seed: 42, phaseIndex: 3).summary }
            let otherSeed = (1...8).map { nemesis.cycle($0, vmCount: 6, seed: 43, phaseIndex: 2).summary }
            #expect(otherPhase != first.map(\.summary) && otherSeed != first.map(\.summary), "\(kind)")
        }
    }

    @Test("cycles start every every_s, the first after one every_s, while before the phase's end")
    func cycleStarts() throws {
        let nemesis = try Nemesis(kind: .isolate, everySeconds: 10, forSeconds: 4)
        #expect(nemesis.cycleStarts(within: 35) == [10, 20, 30])
        #expect(nemesis.cycleStarts(within: 30) == [10, 20])
        #expect(nemesis.cycleStarts(within: 10).isEmpty)
        #expect(try Nemesis(kind: .kill, everySeconds: 2.5, forSeconds: 1).cycleStarts(within: 8) == [2.5, 5, 7.5])
    }

    @Test(
        "every_s and for_s out of range name their field",
        arguments: [
            (0.5, 0.2, "every_s"), (4e7, 1, "every_s"), (10, 10, "for_s"), (10, 0.05, "for_s"), (10, 12, "for_s"),
        ]
    )
    func badTiming(every: Double, for length: Double, field: String) {
        let error = #expect(throws: FaultParameterError.self) {
            try Nemesis(kind: .isolate, everySeconds: every, forSeconds: length)
        }
        #expect(error?.field == field)
    }

    @Test("the kinds' names and minimum sizes")
    func kinds() {
        #expect(NemesisKind.names == "partition_halves, isolate, bridge, majorities_ring or kill")
        #expect(NemesisKind.allCases.map(\.minimumVMs) == [2, 2, 3, 4, 1])
        #expect(NemesisKind(rawValue: "majorities_ring") == .majoritiesRing)
    }
}
