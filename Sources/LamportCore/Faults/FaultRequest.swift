/// A fault as asked for (the body of `POST /faults`, or a plan entry), checked but not yet active.
///
/// `FaultSet.add(_:at:)` turns it into a `Fault` with an id and a start time.
public struct FaultRequest: Sendable, Equatable {
    public var kind: FaultKind
    /// The recipients it applies to, ascending and without repeats; nil means every peer.
    public var peers: [Int]?
    /// How long it lasts before it ends by itself, in microseconds; nil means until removed.
    public var durationMicroseconds: Int64?

    /// Checks everything that does not depend on the VM: the kind's parameters, `peers` (not
    /// empty, no id below 1, none for `clock_skew`) and `duration_s` (above 0, at most
    /// `FaultLimits.maximumDurationSeconds`). `FaultSet.add` checks the peers against the VM's.
    ///
    /// - Parameter durationSeconds: `duration_s`; it is kept in whole microseconds.
    public init(kind: FaultKind, peers: [Int]? = nil, durationSeconds: Double? = nil) throws(FaultParameterError) {
        try kind.validate()
        if let peers {
            if case .clockSkew = kind {
                throw FaultParameterError(field: "peers", problem: "must be absent for clock_skew")
            }
            guard !peers.isEmpty else {
                throw FaultParameterError(field: "peers", problem: "must name at least one peer")
            }
            guard peers.allSatisfy({ $0 >= 1 }) else {
                throw FaultParameterError(field: "peers", problem: "must be VM ids (1 or more)")
            }
        }
        if let durationSeconds {
            guard durationSeconds > 0 && durationSeconds <= FaultLimits.maximumDurationSeconds else {
                throw FaultParameterError(
                    field: "duration_s",
                    problem: "must be above 0 and at most \(Int(FaultLimits.maximumDurationSeconds))")
            }
        }
        self.kind = kind
        self.peers = peers.map { Array(Set($0)).sorted() }
        self.durationMicroseconds = durationSeconds.map { Int64(($0 * 1_000_000).rounded()) }
    }
}
