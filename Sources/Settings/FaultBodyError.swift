/// A fault description (the body of `POST /faults`, a plan's fault entry, a `--fault` option)
/// that cannot be used: the field at fault, as the control plane spells it, and what is wrong.
public struct FaultBodyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field at fault (`kind`, `probability`, `peers`, ...); nil when the text as a whole is
    /// wrong (not JSON, not an object).
    public var field: String?
    /// What is wrong, as a phrase after the field name ("must be from 0 to 1").
    public var problem: String

    public init(field: String?, _ problem: String) {
        self.field = field
        self.problem = problem
    }

    /// `field: problem`, or the problem alone: the text of the control plane's 400 answer.
    public var message: String { field.map { "\($0): \(problem)" } ?? problem }

    public var description: String { message }
}
