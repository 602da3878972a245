import Testing

@testable import LamportCore

/// The fault model: each kind alone, stacking, heals, expiry, drain and accounting.
@Suite struct FaultSetTests {
    static func message(_ seq: Int) -> PeerMessage { PeerMessage(from: 1, sendSeq: seq, clock: seq) }

    static func copy(_ seq: Int, to recipient: Int = 2, duplicatedBy: Int? = nil) -> OutgoingCopy {
        OutgoingCopy(message: message(seq), recipient: recipient, duplicatedBy: duplicatedBy)
    }

    /// VM 1 of a 3-VM cluster with `kinds` set on all its peers at time 0.
    static func makeSet(_ kinds: [FaultKind] = [], seed: UInt64 = 7) throws -> FaultSet {
        var faults = FaultSet(vmID: 1, peers: [2, 3], random: FaultRandom(seed: seed, vmID: 1))
        for kind in kinds {
            _ = try faults.add(FaultRequest(kind: kind), at: 0)
        }
        return faults
    }

    @Test func withNoFaultEveryCopyGoesNowAndTheSetStaysIdle() throws {
        var faults = try Self.makeSet()
        #expect(faults.isIdle)
        #expect(faults.route(Self.message(1), to: 2, at: 10) == SendFate(copies: [.now(Self.copy(1))]))
        #expect(faults.isIdle)
        #expect(faults.nextWakeup == nil)
        #expect(faults.clockSkewMicroseconds == 0)
    }

    @Test func idsCountUpAndFaultsApplyOnlyToTheirPeers() throws {
        var faults = try Self.makeSet()
        let first = try faults.add(FaultRequest(kind: .loss(probability: 1), peers: [3]), at: 5)
        let second = try faults.add(FaultRequest(kind: .partition, peers: [3]), at: 6)
        #expect((first.id, second.id) == (1, 2))
        #expect(first.started == 5 && first.ends == nil && first.peers == [3])
        #expect(!faults.isIdle)
        #expect(faults.route(Self.message(1), to: 2, at: 10).copies == [.now(Self.copy(1))])
        _ = faults.removeAll(at: 20)
        let third = try faults.add(FaultRequest(kind: .partition), at: 30)
        #expect(third.id == 3)
    }

    @Test func lossDestroysNamingTheFault() throws {
        var faults = try Self.makeSet([.loss(probability: 1)])
        let fate = faults.route(Self.message(1), to: 3, at: 0)
        #expect(fate.copies == [.lost(recipient: 3, fault: 1)])
        #expect(fate.lostTo == 1)
        #expect(fate.immediate.isEmpty)
        var never = try Self.makeSet([.loss(probability: 0)])
        #expect(never.route(Self.message(1), to: 3, at: 0).copies == [.now(Self.copy(1, to: 3))])
    }

    @Test func lossAtAProbabilityDestroysAboutThatShare() throws {
        var faults = try Self.makeSet([.loss(probability: 0.3)])
        let lost = (1...10_000).filter { faults.route(Self.message($0), to: 2, at: 0).lostTo != nil }.count
        #expect((2_700...3_300).contains(lost))
    }

    @Test func duplicateSendsASecondCopyNamingTheFault() throws {
        var faults = try Self.makeSet([.duplicate(probability: 1)])
        let fate = faults.route(Self.message(4), to: 2, at: 0)
        #expect(fate.copies == [.now(Self.copy(4)), .now(Self.copy(4, duplicatedBy: 1))])
        #expect(fate.immediate.map(\.message) == [Self.message(4), Self.message(4)])
        #expect(faults.isIdle == false)  // the fault is set, though it holds nothing
        #expect(faults.drain().isEmpty)
    }

    @Test func constantDelayHoldsUntilDueThenReleasesInSendOrder() throws {
        var faults = try Self.makeSet([.delay(milliseconds: 5, jitterMilliseconds: 0, distribution: .constant)])
        #expect(faults.route(Self.message(1), to: 2, at: 0).copies == [.delayed(Self.copy(1), until: 5_000)])
        #expect(faults.route(Self.message(2), to: 3, at: 0).copies == [.delayed(Self.copy(2, to: 3), until: 5_000)])
        #expect(faults.route(Self.message(3), to: 2, at: 1_000).copies == [.delayed(Self.copy(3), until: 6_000)])
        #expect(faults.nextWakeup == 5_000)
        #expect(faults.due(at: 4_999).isEmpty)
        #expect(faults.due(at: 5_000) == [Self.copy(1), Self.copy(2, to: 3)])
        #expect(faults.nextWakeup == 6_000)
        #expect(faults.due(at: 10_000) == [Self.copy(3)])
        #expect(faults.delayedCount == 0)
    }

    @Test func uniformJitterStaysInItsRangeAndCanReorder() throws {
        var faults = try Self.makeSet([.delay(milliseconds: 10, jitterMilliseconds: 4, distribution: .uniform)])
        var dues: [Int64] = []
        for seq in 1...500 {
            guard case .delayed(_, let until) = faults.route(Self.message(seq), to: 2, at: Int64(seq) * 100).copies[0]
            else {
                Issue.record("not delayed")
                return
            }
            #expect((6_000...14_000).contains(until - Int64(seq) * 100))
            dues.append(until)
        }
        let released = faults.due(at: .max)
        #expect(released.count == 500)
        #expect(released.map(\.message.sendSeq) != Array(1...500))  // jitter reordered some
        #expect(Set(released.map(\.message.sendSeq)) == Set(1...500))
        #expect(dues != dues.sorted())  // due times are not in send order
    }

    @Test func exponentialJitterAddsToTheBaseWithItsMeanAndIsCut() throws {
        var faults = try Self.makeSet([.delay(milliseconds: 2, jitterMilliseconds: 1, distribution: .exponential)])
        var total: Int64 = 0
        for seq in 1...10_000 {
            guard case .delayed(_, let until) = faults.route(Self.message(seq), to: 2, at: 0).copies[0] else {
                Issue.record("not delayed")
                return
            }
            #expect(until >= 2_000 && until <= 12_000)
            total += until - 2_000
        }
        let mean = Double(total) / 10_000
        #expect(mean > 950 && mean < 1_050)
    }

    @Test func aZeroDelayGoesNow() throws {
        var faults = try Self.makeSet([.delay(milliseconds: 0, jitterMilliseconds: 0, distribution: .constant)])
        #expect(faults.route(Self.message(1), to: 2, at: 3).copies == [.now(Self.copy(1))])
    }

    @Test func partitionHoldsUntilHealedThenReleasesInSendOrder() throws {
        var faults = try Self.makeSet()
        let cut = try faults.add(FaultRequest(kind: .partition, peers: [2]), at: 0)
        for seq in 1...4 {
            #expect(
                faults.route(Self.message(seq), to: 2, at: Int64(seq)).copies == [.held(Self.copy(seq), partition: 1)])
        }
        #expect(faults.route(Self.message(5), to: 3, at: 5).copies == [.now(Self.copy(5, to: 3))])
        #expect(faults.heldCount == 4)
        #expect(faults.nextWakeup == nil)
        #expect(faults.due(at: 1_000_000).isEmpty)
        #expect(faults.remove(id: cut.id, at: 2_000) == cut)
        #expect(faults.remove(id: cut.id, at: 2_000) == nil)
        #expect(faults.nextWakeup == 2_000)
        #expect(faults.due(at: 2_000) == (1...4).map { Self.copy($0) })
        #expect(faults.isIdle)
    }

    @Test func aHealReleasesOnlyRecipientsNoOtherPartitionCovers() throws {
        var faults = try Self.makeSet()
        let all = try faults.add(FaultRequest(kind: .partition), at: 0)
        _ = try faults.add(FaultRequest(kind: .partition, peers: [3]), at: 0)
        for seq in 1...4 {
            _ = faults.route(Self.message(seq), to: seq % 2 == 0 ? 2 : 3, at: 0)
        }
        _ = faults.remove(id: all.id, at: 10)
        #expect(faults.due(at: 10) == [Self.copy(2), Self.copy(4)])
        #expect(faults.heldCount == 2)
        _ = faults.removeAll(at: 20)
        #expect(faults.due(at: 20) == [Self.copy(1, to: 3), Self.copy(3, to: 3)])
    }

    @Test func releasedCopiesGoAheadOfCopiesDelayedToTheSameInstantAfterThem() throws {
        var faults = try Self.makeSet()
        let cut = try faults.add(FaultRequest(kind: .partition, peers: [2]), at: 0)
        _ = faults.route(Self.message(1), to: 2, at: 0)
        _ = try faults.add(
            FaultRequest(kind: .delay(milliseconds: 1, jitterMilliseconds: 0, distribution: .constant), peers: [3]),
            at: 0)
        _ = faults.route(Self.message(2), to: 3, at: 0)
        _ = faults.remove(id: cut.id, at: 1_000)
        #expect(faults.due(at: 1_000) == [Self.copy(1), Self.copy(2, to: 3)])
    }

    @Test func clockSkewSumsTheActiveSkewsAndLeavesMessagesAlone() throws {
        var faults = try Self.makeSet([.clockSkew(milliseconds: 250)])
        let back = try faults.add(FaultRequest(kind: .clockSkew(milliseconds: -100)), at: 0)
        #expect(faults.clockSkewMicroseconds == 150_000)
        #expect(faults.isIdle)  // a skew alone leaves the messages alone: no route needed
        #expect(faults.route(Self.message(1), to: 2, at: 0).copies == [.now(Self.copy(1))])
        _ = faults.remove(id: back.id, at: 1)
        #expect(faults.clockSkewMicroseconds == 250_000)
        _ = faults.removeAll(at: 2)
        #expect(faults.clockSkewMicroseconds == 0)
    }

    @Test func lossAndDelayStack() throws {
        var faults = try Self.makeSet([
            .loss(probability: 0.5), .delay(milliseconds: 3, jitterMilliseconds: 0, distribution: .constant),
        ])
        var lost = 0
        for seq in 1...200 {
            let copies = faults.route(Self.message(seq), to: 2, at: 0).copies
            if copies == [.lost(recipient: 2, fault: 1)] {
                lost += 1
            } else {
                #expect(copies == [.delayed(Self.copy(seq), until: 3_000)])
            }
        }
        #expect(lost > 50 && lost < 150)
        #expect(faults.due(at: 3_000).count == 200 - lost)
    }

    @Test func duplicateAndDelayStackWithADrawPerCopyAndTheDuplicateNeverOvertakes() throws {
        var faults = try Self.makeSet([
            .duplicate(probability: 1), .delay(milliseconds: 10, jitterMilliseconds: 5, distribution: .uniform),
        ])
        var differ = 0
        for seq in 1...100 {
            let copies = faults.route(Self.message(seq), to: 2, at: 0).copies
            guard copies.count == 2, case .delayed(let first, let firstDue) = copies[0],
                case .delayed(let second, let secondDue) = copies[1]
            else {
                Issue.record("unexpected fate \(copies)")
                return
            }
            #expect(first == Self.copy(seq) && second == Self.copy(seq, duplicatedBy: 1))
            #expect(secondDue >= firstDue, "a duplicate never comes before its original")
            if firstDue != secondDue { differ += 1 }
        }
        // Its own draw: later than the original about half the time, never earlier.
        #expect(differ > 25 && differ < 75)
        #expect(faults.due(at: .max).count == 200)
    }

    @Test func twoDelaysAddUp() throws {
        var faults = try Self.makeSet([
            .delay(milliseconds: 2, jitterMilliseconds: 0, distribution: .constant),
            .delay(milliseconds: 3, jitterMilliseconds: 0, distribution: .constant),
        ])
        #expect(faults.route(Self.message(1), to: 2, at: 0).copies == [.delayed(Self.copy(1), until: 5_000)])
    }

    @Test func partitionComesFirstAndRollsNothing() throws {
        var partitioned = try Self.makeSet([.partition, .loss(probability: 0.5), .duplicate(probability: 0.5)])
        // The same ids on both sides: a partition of peer 3 (never routed to) takes id 1.
        var plain = try Self.makeSet()
        _ = try plain.add(FaultRequest(kind: .partition, peers: [3]), at: 0)
        _ = try plain.add(FaultRequest(kind: .loss(probability: 0.5)), at: 0)
        _ = try plain.add(FaultRequest(kind: .duplicate(probability: 0.5)), at: 0)
        #expect(partitioned.route(Self.message(1), to: 2, at: 0).copies == [.held(Self.copy(1), partition: 1)])
        _ = partitioned.remove(id: 1, at: 1)
        #expect(partitioned.due(at: 1) == [Self.copy(1)])  // released as is, no new draws
        for seq in 2...50 {
            #expect(partitioned.route(Self.message(seq), to: 2, at: 2) == plain.route(Self.message(seq), to: 2, at: 2))
        }
    }

    @Test func aDurationEndsTheFaultWhenExpired() throws {
        var faults = try Self.makeSet()
        let cut = try faults.add(FaultRequest(kind: .partition, durationSeconds: 2), at: 1_000)
        let skew = try faults.add(FaultRequest(kind: .clockSkew(milliseconds: 7), durationSeconds: 1), at: 1_000)
        let slow = try faults.add(
            FaultRequest(kind: .delay(milliseconds: 1, jitterMilliseconds: 0, distribution: .constant), peers: [3]),
            at: 1_000)
        #expect(cut.ends == 2_001_000 && skew.ends == 1_001_000 && slow.ends == nil)
        _ = faults.route(Self.message(1), to: 2, at: 1_500)
        #expect(faults.nextWakeup == 1_001_000)
        #expect(faults.expire(at: 1_000_999).isEmpty)
        #expect(faults.expire(at: 1_001_000) == [skew])
        #expect(faults.clockSkewMicroseconds == 0)
        #expect(faults.nextWakeup == 2_001_000)
        #expect(faults.route(Self.message(2), to: 2, at: 2_000_000).copies == [.held(Self.copy(2), partition: 1)])
        #expect(faults.expire(at: 3_000_000) == [cut])
        #expect(faults.due(at: 3_000_000) == [Self.copy(1), Self.copy(2)])
        #expect(faults.faults == [slow])
        #expect(faults.nextWakeup == nil)
    }

    @Test func expiryEndsFaultsByEndTimeThenId() throws {
        var faults = try Self.makeSet()
        let late = try faults.add(FaultRequest(kind: .loss(probability: 1), durationSeconds: 2), at: 0)
        let early = try faults.add(FaultRequest(kind: .loss(probability: 1), durationSeconds: 1), at: 0)
        let tie = try faults.add(FaultRequest(kind: .partition, durationSeconds: 1), at: 0)
        #expect(faults.expire(at: 5_000_000) == [early, tie, late])
        #expect(faults.isIdle)
    }

    @Test func drainReturnsEverythingStillHeldDelayedFirst() throws {
        var faults = try Self.makeSet()
        _ = try faults.add(FaultRequest(kind: .partition, peers: [3]), at: 0)
        _ = try faults.add(
            FaultRequest(kind: .delay(milliseconds: 9, jitterMilliseconds: 0, distribution: .constant), peers: [2]),
            at: 0)
        _ = faults.route(Self.message(1), to: 3, at: 0)
        _ = faults.route(Self.message(2), to: 2, at: 0)
        _ = faults.route(Self.message(3), to: 3, at: 1)
        _ = faults.route(Self.message(4), to: 2, at: 1)
        #expect(
            faults.drain() == [
                PendingCopy(copy: Self.copy(2), due: 9_000), PendingCopy(copy: Self.copy(4), due: 9_001),
                PendingCopy(copy: Self.copy(1, to: 3), due: nil), PendingCopy(copy: Self.copy(3, to: 3), due: nil),
            ])
        #expect(faults.drain().isEmpty)
        #expect(faults.faults.count == 2)
    }

    @Test func drainToOneRecipientTakesOnlyItsCopiesAndKeepsTheRestInOrder() throws {
        var faults = try Self.makeSet()
        _ = try faults.add(
            FaultRequest(kind: .delay(milliseconds: 9, jitterMilliseconds: 0, distribution: .constant)), at: 0)
        _ = try faults.add(FaultRequest(kind: .partition, peers: [3]), at: 0)
        _ = faults.route(Self.message(1), to: 2, at: 0)
        _ = faults.route(Self.message(1), to: 3, at: 0)
        _ = faults.route(Self.message(2), to: 2, at: 1)
        _ = faults.route(Self.message(3), to: 3, at: 2)
        _ = faults.route(Self.message(4), to: 2, at: 3)
        #expect(
            faults.drain(to: 3) == [
                PendingCopy(copy: Self.copy(1, to: 3), due: nil), PendingCopy(copy: Self.copy(3, to: 3), due: nil),
            ])
        #expect(faults.heldCount == 0)
        #expect(faults.drain(to: 3).isEmpty)
        #expect(faults.due(at: 9_001) == [Self.copy(1), Self.copy(2)])
        #expect(
            faults.drain(to: 2) == [PendingCopy(copy: Self.copy(4), due: 9_003)])
        #expect(faults.isIdle == false && faults.delayedCount == 0)
    }

    /// Every copy of every send ends up exactly once: written (now or when due), lost with a
    /// fault id, or handed back by the drain at the stop; only duplicates add copies.
    @Test func everyCopyIsAccountedFor() throws {
        var faults = try Self.makeSet([
            .loss(probability: 0.2), .duplicate(probability: 0.3),
            .delay(milliseconds: 4, jitterMilliseconds: 3, distribution: .uniform),
        ])
        var written: [OutgoingCopy] = []
        var lost: [(PeerMessage, Int)] = []
        var duplicatesMade = 0
        var cut: Fault?
        var now: Int64 = 0
        for seq in 1...2_000 {
            now += 1_000
            written += faults.due(at: now)
            if seq % 300 == 0 {
                if let open = cut {
                    _ = faults.remove(id: open.id, at: now)
                    written += faults.due(at: now)
                    cut = nil
                } else {
                    cut = try faults.add(FaultRequest(kind: .partition, peers: [3]), at: now)
                }
            }
            for recipient in [2, 3] {
                for fate in faults.route(Self.message(seq), to: recipient, at: now).copies {
                    switch fate {
                    case .now(let copy):
                        written.append(copy)
                        if copy.duplicatedBy != nil { duplicatesMade += 1 }
                    case .delayed(let copy, _), .held(let copy, _):
                        if copy.duplicatedBy != nil { duplicatesMade += 1 }
                    case .lost(let to, let fault):
                        #expect(fault == 1)
                        lost.append((Self.message(seq), to))
                    }
                }
            }
        }
        let drained = faults.drain().map(\.copy)
        let all = written + drained
        #expect(all.count + lost.count == 4_000 + duplicatesMade)
        #expect(all.filter { $0.duplicatedBy != nil }.count == duplicatesMade)
        let originals = all.filter { $0.duplicatedBy == nil }.map { "\($0.message.sendSeq)>\($0.recipient)" }
        let lostKeys = lost.map { "\($0.0.sendSeq)>\($0.1)" }
        #expect(Set(originals + lostKeys).count == 4_000)
        #expect(originals.count + lostKeys.count == 4_000)
        #expect(!lost.isEmpty && duplicatesMade > 0 && !drained.isEmpty)
    }
}
