import LamportCore

/// A change to the faults, from the control plane to the VM's loop (`POST` and `DELETE /faults`).
public enum FaultCommand: Sendable, Equatable {
    /// `POST /faults`: start this fault.
    case add(FaultRequest)
    /// `DELETE /faults/{id}`: end this fault.
    case remove(id: Int)
    /// `DELETE /faults`: end every fault.
    case removeAll
}

/// What the VM's loop made of a `FaultCommand`.
public enum FaultReply: Sendable, Equatable {
    /// The fault that started.
    case added(Fault)
    /// A fault ended, or every fault did.
    case removed
    /// No active fault has that id.
    case unknownID
    /// The request names something this VM does not have (a peer), naming the field.
    case rejected(FaultParameterError)
}
