/// A connected random graph in which every node has (almost) the same number of links.
///
/// Construction, fully determined by the generator: the nodes in a random order form a ring (so
/// the graph is connected and every node has 2 links); then each node gets `degree - 2` more
/// link ends, shuffled, and ends are paired with a partner that is neither the node itself nor
/// already linked to it. An end that finds no partner among the next 64 is left unpaired, so a
/// few nodes may have one link fewer (always when `vmCount * degree` is odd).
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
        while let node = ends.popLast() {
            let tries = min(64, ends.count)
            for offset in 0..<tries {
                let index = ends.count - 1 - offset
                let partner = ends[index]
                if partner != node && !links[node - 1].contains(partner) {
                    ends.swapAt(index, ends.count - 1)
                    ends.removeLast()
                    links[node - 1].insert(partner)
                    links[partner - 1].insert(node)
                    break
                }
            }
        }
        return links.map { $0.sorted() }
    }

    /// Fisher-Yates with the project's generator, so the order depends on the seed alone.
    private static func shuffle(_ items: inout [Int], random: inout SeededRandom) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(index, random.roll(in: 0...index))
        }
    }
}
