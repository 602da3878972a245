/// The trouble a nemesis makes in each of its cycles, named as Jepsen's nemeses are.
///
/// The partition kinds cut links both ways (a `partition` fault on each side); `kill` crashes a VM
/// and restarts it.
public enum NemesisKind: String, Sendable, Equatable, CaseIterable {
    /// The VMs in a random order, split into two halves (the first one smaller when the number is
    /// odd); no VM can reach the other half.
    case partitionHalves = "partition_halves"
    /// One random VM cut off from all the others, both ways.
    case isolate
    /// Two halves that cannot reach each other, and one random VM, the bridge, that reaches both.
    case bridge
    /// The VMs in a random ring; each reaches only the VMs within ring distance
    /// k = ceil(floor(n / 2) / 2), so each sees a majority (itself included), and no two see the
    /// same one.
    case majoritiesRing = "majorities_ring"
    /// One random VM killed (SIGKILL) and restarted after the cycle's length.
    case kill

    /// The fewest VMs the kind can work on.
    public var minimumVMs: Int {
        switch self {
        case .kill: 1
        case .partitionHalves, .isolate: 2
        case .bridge: 3
        case .majoritiesRing: 4
        }
    }

    /// Why fewer than `minimumVMs` will not do, for error messages.
    public var minimumReason: String {
        switch self {
        case .kill: "it kills one of them"
        case .partitionHalves, .isolate: "it cuts VMs apart"
        case .bridge: "it needs two sides and a bridge"
        case .majoritiesRing: "with 3 VMs every majority is the whole cluster, so nothing would be cut"
        }
    }

    /// Every kind's name, for error messages: `partition_halves, isolate, ... or kill`.
    public static let names =
        allCases.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + (allCases.last?.rawValue ?? "")
}
