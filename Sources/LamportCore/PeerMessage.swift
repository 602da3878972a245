/// A message between two VMs, as the receiving core sees it.
///
/// A message is identified across the cluster by `(from, sendSeq)`: the sender's id and the
/// `seq` of the sender's `send` event. `clock` is the sender's clock after that send's increment.
public struct PeerMessage: Sendable, Equatable, Hashable {
    public var from: Int
    public var sendSeq: Int
    public var clock: Int

    public init(from: Int, sendSeq: Int, clock: Int) {
        self.from = from
        self.sendSeq = sendSeq
        self.clock = clock
    }
}
