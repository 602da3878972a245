/// One copy of a message on its way to one recipient.
public struct OutgoingCopy: Sendable, Equatable, Hashable {
    public var message: PeerMessage
    public var recipient: Int
    /// The id of the `duplicate` fault that made this copy; nil for the original.
    public var duplicatedBy: Int?

    public init(message: PeerMessage, recipient: Int, duplicatedBy: Int? = nil) {
        self.message = message
        self.recipient = recipient
        self.duplicatedBy = duplicatedBy
    }
}

/// What the faults did with one copy of a message.
public enum CopyFate: Sendable, Equatable {
    /// Write it now.
    case now(OutgoingCopy)
    /// Held in the outbox until this time (a delay); `FaultSet.due(at:)` hands it back then.
    case delayed(OutgoingCopy, until: Int64)
    /// Held in the outbox by this partition until no partition covers the recipient any more.
    case held(OutgoingCopy, partition: Int)
    /// Destroyed by this loss fault; the sender logs the recipient in the `send` line's `lost`.
    case lost(recipient: Int, fault: Int)
}

/// What the faults did with one message to one recipient: the original's fate first, then one
/// fate per duplicate.
public struct SendFate: Sendable, Equatable {
    public var copies: [CopyFate]

    public init(copies: [CopyFate]) {
        self.copies = copies
    }

    /// The copies to write now, in order.
    public var immediate: [OutgoingCopy] {
        copies.compactMap {
            if case .now(let copy) = $0 { return copy }
            return nil
        }
    }

    /// The loss fault that destroyed the message, if one did.
    public var lostTo: Int? {
        for fate in copies {
            if case .lost(_, let fault) = fate { return fault }
        }
        return nil
    }
}
