/// How a VM's run ended: the process exit code and the reason written on the `stop` line.
public struct StopOutcome: Sendable, Equatable {
    public var exitCode: Int32
    public var reason: String
    /// A message for the person running the VM, printed on standard error (nil for a normal stop).
    public var problem: String?
}
