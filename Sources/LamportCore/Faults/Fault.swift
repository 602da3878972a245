/// An active fault of one VM: what it does, to which recipients, since when and until when.
///
/// Times are microseconds on the driver's clock (wall clock for the real VM, virtual time for
/// the simulator); the fault model never reads a clock itself.
public struct Fault: Sendable, Equatable, Identifiable {
    /// Unique within one `FaultSet`: 1, 2, 3, ... in the order faults were added, never reused.
    public let id: Int
    public let kind: FaultKind
    /// The recipients it applies to, ascending; nil means every peer.
    public let peers: [Int]?
    /// When it was added.
    public let started: Int64
    /// When it ends by itself (`started` plus the requested duration); nil means until removed.
    /// It still applies until the driver calls `FaultSet.expire(at:)` at or after this time.
    public let ends: Int64?

    public init(id: Int, kind: FaultKind, peers: [Int]?, started: Int64, ends: Int64?) {
        self.id = id
        self.kind = kind
        self.peers = peers
        self.started = started
        self.ends = ends
    }

    /// Whether it acts on copies sent to `recipient`.
    public func applies(to recipient: Int) -> Bool {
        guard let peers else { return true }
        return peers.contains(recipient)
    }
}
