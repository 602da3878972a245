/// A connected random graph in which every node has (almost) the same number of links.
///
/// Construction, fully determined by the generator: the nodes in a random order form a ring (so
/// the graph is connected and every node has 2 links); then each node gets `degree - 2` more
/// link ends, shuffled, and ends are paired with a partner that is neither the node itself nor
/// already linked to it. Ends that find no partner that way are paired by rewiring: a random
/// link a-b (away from both nodes) becomes u-a and v-b. Every node ends with `degree` links,
/// except one with one fewer when `vmCount * degree` is odd (and, in small dense graphs where no
/// rewiring fits, a few more).
enum RandomRegularGraph {
    /// Neighbours of node `i + 1`, ascending. Requires `2 <= degree < vmCount`.
    static func build(vmCount: Int, degree: Int, random: inout SeededRandom) -> [[Int]] {
        var order = Array(1...vmCount)
        shuffle(&order, random: &random)
        var links = [Set<Int>](repeating: [], count: vmCount)
        for index in order.indices {
            let node = order[index]
            let next = order[(index + 1) % vmCount]
            if node != next {
                links[node - 1].insert(next)
                links[next - 1].insert(node)
            }
        }
        var ends: [Int] = []
        ends.reserveCapacity(vmCount * max(0, degree - 2))
        for node in 1...vmCount {
            for _ in 0..<max(0, degree - links[node - 1].count) { ends.append(node) }
        }
        shuffle(&ends, random: &random)
        var unpaired: [Int] = []
        while let node = ends.popLast() {
            var paired = false
            let tries = min(64, ends.count)
            for offset in 0..<tries {
                let index = ends.count - 1 - offset
                let partner = ends[index]
                if partner != node && !links[node - 1].contains(partner) {
                    ends.swapAt(index, ends.count - 1)
                    ends.removeLast()
                    links[node - 1].insert(partner)
                    links[partner - 1].insert(node)
                    paired = true
                    break
                }
            }
            if !paired { unpaired.append(node) }
        }
        while unpaired.count >= 2 {
            let first = unpaired.removeLast()
            let second = unpaired.removeLast()
            rewire(first, second, links: &links, random: &random)
        }
        return links.map { $0.sorted() }
    }

    /// Gives `u` and `v` one more link each by replacing a random link a-b with u-a and v-b, for
    /// a link whose ends are neither u nor v and not yet linked to them. Gives up after a bounded
    /// number of draws (then both keep one link fewer).
    private static func rewire(_ u: Int, _ v: Int, links: inout [Set<Int>], random: inout SeededRandom) {
        let count = links.count
        for _ in 0..<(64 * count) {
            let a = random.roll(in: 1...count)
            // Sorted first: a Set's order changes from process to process, and every VM must draw
            // the same graph.
            let linked = links[a - 1].sorted()
            guard !linked.isEmpty else { continue }
            let b = linked[random.roll(in: 0...linked.count - 1)]
            guard a != u, a != v, b != u, b != v, !links[u - 1].contains(a), !links[v - 1].contains(b) else {
                continue
            }
            links[a - 1].remove(b)
            links[b - 1].remove(a)
            links[u - 1].insert(a)
            links[a - 1].insert(u)
            links[v - 1].insert(b)
            links[b - 1].insert(v)
            return
        }
    }

    /// Fisher-Yates with the project's generator, so the order depends on the seed alone.
    private static func shuffle(_ items: inout [Int], random: inout SeededRandom) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, random.roll(in: 0...index))
        }
    }
}
