/// Which VMs of a cluster are linked to each other: the shape of the network.
///
/// A VM dials, accepts and waits for its neighbours only, and its idle rolls address only them
/// (`ActionPolicy`). `full` links every pair and is the classic exercise; the others keep the
/// number of links (and so the log's lifecycle lines and each VM's connections) linear in the
/// number of VMs. `TopologyGraph` turns a topology into each VM's neighbours.
public enum Topology: Sendable, Equatable, CustomStringConvertible {
    /// Every VM is linked to every other VM.
    case full
    /// VM i is linked to i - 1 and i + 1, and the last to the first.
    case ring
    /// VMs fill rows of ceil(sqrt(N)) in id order; each is linked to its left, right, upper and
    /// lower neighbour (no wrap-around).
    case grid
    /// Each VM gets `neighbours` neighbours drawn from the run's seed, and the graph is connected
    /// (a random ring plus random links; see `TopologyGraph`).
    case random(neighbours: Int)
    /// The links as given: VM id to the ids it is linked to. A link listed on one side only is a
    /// link on both.
    case explicit([Int: [Int]])

    /// The setting's text form: `full`, `ring`, `grid`, `random:K`; an explicit topology reads
    /// as a JSON object (ids ascending).
    public var description: String {
        switch self {
        case .full: "full"
        case .ring: "ring"
        case .grid: "grid"
        case .random(let count): "random:\(count)"
        case .explicit(let links):
            "{"
                + links.keys.sorted().map { id in
                    "\"\(id)\": [" + (links[id] ?? []).sorted().map(String.init).joined(separator: ", ") + "]"
                }.joined(separator: ", ") + "}"
        }
    }

    /// Whether the topology is drawn from the seed (all VMs of a cluster must share the seed).
    public var usesSeed: Bool {
        if case .random = self { return true }
        return false
    }
}
