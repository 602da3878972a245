import Testing

@testable import LamportCore

/// The fault model driven the way the simulator will drive it in virtual time: wake at the next
/// send or at `nextWakeup`, `expire` then `due`, `route` each send, `drain` at the stop.
@Suite struct FaultDriverTests {
    /// The transcript of a 2-second run of VM 1 sending to peers 2 and 3 every 0.7 ms, with timed
    /// faults: one line per copy written, lost, or drained, and one per fault ended.
    static func transcript(seed: UInt64) throws -> [String] {
        var faults = FaultSet(vmID: 1, peers: [2, 3], random: FaultRandom(seed: seed, vmID: 1))
        var lines: [String] = []
        _ = try faults.add(FaultRequest(kind: .loss(probability: 0.1), durationSeconds: 1.5), at: 0)
        _ = try faults.add(FaultRequest(kind: .duplicate(probability: 0.1), peers: [2]), at: 0)
        _ = try faults.add(
            FaultRequest(
                kind: .delay(milliseconds: 3, jitterMilliseconds: 2, distribution: .exponential), durationSeconds: 1),
            at: 0)
        _ = try faults.add(FaultRequest(kind: .partition, peers: [3], durationSeconds: 0.5), at: 200_000)
        let end: Int64 = 2_000_000
        var nextSend: Int64 = 700
        var seq = 0
        while true {
            let now = min(nextSend, faults.nextWakeup ?? .max)
            guard now <= end else { break }
            for fault in faults.expire(at: now) {
                lines.append("\(now) heal \(fault.id) \(fault.kind.name)")
            }
            for copy in faults.due(at: now) {
                lines.append("\(now) write \(copy.message.sendSeq)>\(copy.recipient) dup \(copy.duplicatedBy ?? 0)")
            }
            guard now == nextSend else { continue }
            seq += 1
            for recipient in [2, 3] {
                for fate in faults.route(PeerMessage(from: 1, sendSeq: seq, clock: seq), to: recipient, at: now).copies
                {
                    switch fate {
                    case .now(let copy):
                        lines.append("\(now) write \(seq)>\(recipient) dup \(copy.duplicatedBy ?? 0)")
                    case .lost(let to, let fault): lines.append("\(now) lost \(seq)>\(to) fault \(fault)")
                    case .delayed, .held: break
                    }
                }
            }
            nextSend += 700
        }
        for pending in faults.drain() {
            lines.append("stop drain \(pending.copy.message.sendSeq)>\(pending.copy.recipient)")
        }
        return lines
    }

    @Test func aSeededRunReplaysLineForLine() throws {
        let first = try Self.transcript(seed: 11)
        #expect(first == (try Self.transcript(seed: 11)))
        #expect(first != (try Self.transcript(seed: 12)))
        #expect(first.contains("500000 heal 3 delay") == false)  // the delay ends at 1 s, not 0.5 s
        #expect(first.contains("700000 heal 4 partition"))
        #expect(first.contains("1000000 heal 3 delay"))
        #expect(first.contains("1500000 heal 1 loss"))
    }

    @Test func everySendReachesEveryPeerOrIsLostWithAFault() throws {
        let lines = try Self.transcript(seed: 11)
        let sends = 2_000_000 / 700
        var originals = Set<String>()
        for line in lines {
            let words = line.split(separator: " ")
            if words[1] == "write", words[4] == "0" { #expect(originals.insert(String(words[2])).inserted) }
            if words[1] == "lost" { #expect(originals.insert(String(words[2])).inserted) }
            if words[1] == "drain" { #expect(originals.insert(String(words[2])).inserted) }
        }
        #expect(originals.count == 2 * sends)
        // Nothing is lost once the loss fault has ended.
        let lateLosses = lines.filter { $0.contains(" lost ") && Int64($0.split(separator: " ")[0])! >= 1_500_000 }
        #expect(lateLosses.isEmpty)
    }
}
