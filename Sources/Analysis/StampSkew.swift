/// How far log time stamps disagree with causality: receives stamped before their own sends,
/// which happens when the VMs' host clocks disagree (or under a `clock_skew` fault). The merge
/// takes each such receive after its send anyway (`CausalOrder`); this says how much it corrected.
public struct StampSkew: Sendable, Equatable {
    /// Receives (and unprocessed lines) stamped before their send.
    public var receivesBeforeSend = 0
    /// The largest amount, in microseconds, by which a receive was stamped before its send.
    public var largestMicroseconds: Int64 = 0
    /// The message with the largest amount: sender, send seq, recipient.
    public var largestFrom = 0
    public var largestSendSeq = 0
    public var largestTo = 0

    public init() {}

    /// Notes a message sent at `sendTime` and taken in at `receiveTime` (microseconds).
    @inline(__always)
    mutating func note(sendTime: Int64, receiveTime: Int64, from: Int, sendSeq: Int, to: Int) {
        guard receiveTime < sendTime else { return }
        receivesBeforeSend += 1
        let amount = sendTime - receiveTime
        guard amount > largestMicroseconds else { return }
        largestMicroseconds = amount
        largestFrom = from
        largestSendSeq = sendSeq
        largestTo = to
    }

    /// One sentence for the terminal and the report.
    public var sentence: String {
        guard receivesBeforeSend > 0 else {
            return "Clock skew corrected: none (no receive is stamped before its send)."
        }
        let largest = Double(largestMicroseconds) / 1_000_000
        return "Clock skew corrected: \(receivesBeforeSend) receive\(receivesBeforeSend == 1 ? " is" : "s are") "
            + "stamped before their send, by up to \(Self.seconds(largest)) (VM \(largestTo) receiving VM "
            + "\(largestFrom)'s send \(largestSendSeq)): the host clocks disagree, or a clock_skew fault shifted "
            + "them. The analysis orders every receive after its send whatever the stamps say."
    }

    private static func seconds(_ value: Double) -> String {
        value >= 1 ? "\((value * 1000).rounded() / 1000) s" : "\((value * 1_000_000).rounded() / 1000) ms"
    }
}
