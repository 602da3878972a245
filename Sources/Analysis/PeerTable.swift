/// Values keyed by peer id, for one VM: a VM of a sparse topology has a few peers, so the table
/// is two short arrays searched in order (no hashing, one cache line or two), and switches to a
/// dictionary of positions once it holds more than `searchedInOrder` peers (a full mesh).
/// Reading an absent peer gives nil; the order of insertion is kept.
struct PeerTable<Value> {
    private var peers: [Int] = []
    private var values: [Value] = []
    /// Peer -> position, once there are more than `searchedInOrder` peers.
    private var positions: [Int: Int]?
    static var searchedInOrder: Int { 16 }

    init() {}

    /// The number of peers with a value.
    var count: Int { peers.count }

    @inline(__always)
    private func position(of peer: Int) -> Int? {
        if let positions { return positions[peer] }
        return peers.firstIndex(of: peer)
    }

    private mutating func append(_ peer: Int, _ value: Value) -> Int {
        peers.append(peer)
        values.append(value)
        if positions != nil {
            positions![peer] = peers.count - 1
        } else if peers.count > Self.searchedInOrder {
            positions = Dictionary(uniqueKeysWithValues: peers.enumerated().map { ($1, $0) })
        }
        return peers.count - 1
    }

    /// The value of `peer`, or nil.
    subscript(peer: Int) -> Value? {
        position(of: peer).map { values[$0] }
    }

    /// The value of `peer`, added as `defaultValue` first when absent (like `Dictionary`'s).
    subscript(peer: Int, default defaultValue: @autoclosure () -> Value) -> Value {
        get { position(of: peer).map { values[$0] } ?? defaultValue() }
        _modify {
            let index = position(of: peer) ?? append(peer, defaultValue())
            yield &values[index]
        }
    }
}
