/// A topology built for a cluster of `vmCount` VMs (ids 1...vmCount): each VM's neighbours.
///
/// Links are symmetric: when A is B's neighbour, B is A's. Memory is one list per VM of its
/// neighbours, except for `full`, which computes them on demand (so a full topology of many VMs
/// costs nothing until a VM's neighbours are asked for).
public struct TopologyGraph: Sendable, Equatable {
    public let topology: Topology
    public let vmCount: Int
    /// Neighbours of VM `i + 1`, ascending; nil for `full`.
    private let adjacency: [[Int]]?

    /// Builds the graph. `random:K` draws from `seed` (every VM of a cluster must be given the
    /// same one to agree on the graph); the other topologies ignore it.
    ///
    /// - Throws: `TopologyError` when the topology does not fit the cluster: `random:K` with K
    ///   below 1, or K = 1 for more than 2 VMs (a graph of single links cannot be connected); an
    ///   explicit topology naming an id outside 1...vmCount or linking a VM to itself.
    public init(_ topology: Topology, vmCount: Int, seed: UInt64) throws(TopologyError) {
        precondition(vmCount >= 1, "a cluster has at least one VM")
        self.topology = topology
        self.vmCount = vmCount
        switch topology {
        case .full:
            adjacency = nil
        case .ring:
            adjacency = Self.ring(vmCount)
        case .grid:
            adjacency = Self.grid(vmCount)
        case .random(let count):
            guard count >= 1 else { throw TopologyError("random:K needs K of 1 or more neighbours; got \(count)") }
            if count >= vmCount - 1 {
                adjacency = nil
            } else {
                guard count >= 2 else {
                    throw TopologyError(
                        "random:1 cannot connect \(vmCount) VMs (single links make pairs); use random:2 or more")
                }
                var random = SeededRandom(seed: seed ^ 0x70B0_1067, vmID: 0)
                adjacency = RandomRegularGraph.build(vmCount: vmCount, degree: count, random: &random)
            }
        case .explicit(let links):
            adjacency = try Self.explicit(links, vmCount: vmCount)
        }
    }

    /// The neighbours of VM `vm` (1...vmCount), ascending.
    public func neighbours(of vm: Int) -> [Int] {
        guard let adjacency else { return (1...vmCount).filter { $0 != vm } }
        return adjacency[vm - 1]
    }

    /// How many neighbours VM `vm` has.
    public func neighbourCount(of vm: Int) -> Int {
        adjacency?[vm - 1].count ?? vmCount - 1
    }

    /// The most neighbours any one VM has (what the smallest MAX_ACTION and a VM's descriptors
    /// are computed from).
    public var largestNeighbourCount: Int {
        guard let adjacency else { return vmCount - 1 }
        return adjacency.map(\.count).max() ?? 0
    }

    /// The number of links (each counted once).
    public var linkCount: Int {
        guard let adjacency else { return vmCount * (vmCount - 1) / 2 }
        return adjacency.reduce(0) { $0 + $1.count } / 2
    }

    /// Whether every VM can reach every other VM over links.
    public var isConnected: Bool {
        guard adjacency != nil, vmCount > 1 else { return true }
        var seen = [Bool](repeating: false, count: vmCount)
        var stack = [1]
        seen[0] = true
        var reached = 1
        while let vm = stack.popLast() {
            for next in neighbours(of: vm) where !seen[next - 1] {
                seen[next - 1] = true
                reached += 1
                stack.append(next)
            }
        }
        return reached == vmCount
    }

    private static func ring(_ count: Int) -> [[Int]] {
        (1...count).map { id in
            guard count > 2 else { return count == 2 ? [3 - id] : [] }
            let before = id == 1 ? count : id - 1
            let after = id == count ? 1 : id + 1
            return [before, after].sorted()
        }
    }

    private static func grid(_ count: Int) -> [[Int]] {
        var width = 1
        while width * width < count { width += 1 }
        return (0..<count).map { index in
            var links: [Int] = []
            let column = index % width
            if index >= width { links.append(index - width) }
            if column > 0 { links.append(index - 1) }
            if column < width - 1 && index + 1 < count { links.append(index + 1) }
            if index + width < count { links.append(index + width) }
            return links.map { $0 + 1 }.sorted()
        }
    }

    private static func explicit(_ links: [Int: [Int]], vmCount: Int) throws(TopologyError) -> [[Int]] {
        var sets = [Set<Int>](repeating: [], count: vmCount)
        for (vm, neighbours) in links {
            guard (1...vmCount).contains(vm) else {
                throw TopologyError("VM \(vm) is not a VM of this cluster (ids 1 to \(vmCount))")
            }
            for neighbour in neighbours {
                guard (1...vmCount).contains(neighbour) else {
                    throw TopologyError(
                        "VM \(vm) lists \(neighbour), which is not a VM of this cluster (ids 1 to \(vmCount))")
                }
                guard neighbour != vm else { throw TopologyError("VM \(vm) lists itself as a neighbour") }
                sets[vm - 1].insert(neighbour)
                sets[neighbour - 1].insert(vm)
            }
        }
        return sets.map { $0.sorted() }
    }
}
