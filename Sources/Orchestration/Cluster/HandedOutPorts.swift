import NIOConcurrencyHelpers
import SystemCalls

/// The ports handed out so far by this process, and the blocks of ports it holds on this host.
///
/// A port stays free until its VM binds it, so two allocations could both find it free: within
/// one process the ledger hands each port out once; across processes it hands out only ports of
/// blocks of `blockSize` ports that this process holds with a `HostWideClaim`, which no other
/// process can hold at the same time. Blocks are held until `releaseBlocks()` or the end of the
/// process, and a block's ports, once handed out, are never handed out again by this ledger.
public final class HandedOutPorts: Sendable {
    /// Ports per block: a process running a few VMs holds one or two blocks (descriptors).
    public static let blockSize = 16

    private struct State {
        var handedOut: Set<Int> = []
        var blocks: [Int: HostWideClaim] = [:]
        /// Ports of held blocks not handed out yet, in ascending order, the next one last.
        var spare: [Int] = []
    }

    private let state = NIOLockedValueBox(State())
    private let claimPrefix: String

    /// The ledger every allocation in this process shares.
    public static let process = HandedOutPorts()

    /// - Parameter namespace: what the host-wide block names start with; ledgers with different
    ///   namespaces do not exclude each other (tests use their own).
    public init(namespace: String = "lamport-vmserver-ports") {
        claimPrefix = namespace
    }

    /// Records `port` as handed out; false when it was handed out before.
    func claim(_ port: Int) -> Bool {
        state.withLockedValue { $0.handedOut.insert(port).inserted }
    }

    /// A port in `range` that this ledger has not handed out, from a block this process holds
    /// (claiming a new block at random when the held ones are used up); nil when no block with a
    /// port left can be claimed.
    func next(in range: Range<Int>) -> Int? {
        state.withLockedValue { state in
            while true {
                while let port = state.spare.popLast() {
                    if range.contains(port), state.handedOut.insert(port).inserted { return port }
                }
                guard let block = claimBlock(in: range, state: &state) else { return nil }
                let ports = Self.ports(ofBlock: block).clamped(to: range)
                state.spare = ports.filter { !state.handedOut.contains($0) }.reversed()
            }
        }
    }

    /// Lets other processes claim the blocks this one holds (ports already handed out stay
    /// handed out here).
    public func releaseBlocks() {
        state.withLockedValue { state in
            for claim in state.blocks.values { claim.release() }
            state.blocks = [:]
            state.spare = []
        }
    }

    /// How many blocks this ledger holds now.
    var heldBlockCount: Int { state.withLockedValue { $0.blocks.count } }

    private func claimBlock(in range: Range<Int>, state: inout State) -> Int? {
        let blocks = (range.lowerBound / Self.blockSize)...((range.upperBound - 1) / Self.blockSize)
        guard !range.isEmpty else { return nil }
        // Random blocks first (cheap while most are free), then every block in turn.
        let candidates = (0..<64).map { _ in Int.random(in: blocks) } + Array(blocks)
        for block in candidates where state.blocks[block] == nil {
            let unused = Self.ports(ofBlock: block).clamped(to: range).contains { !state.handedOut.contains($0) }
            guard unused, let claim = HostWideClaim(name: "\(claimPrefix)-\(block)") else { continue }
            state.blocks[block] = claim
            return block
        }
        return nil
    }

    private static func ports(ofBlock block: Int) -> Range<Int> {
        (block * blockSize)..<((block + 1) * blockSize)
    }
}
