/// A fault parameter out of its range, naming the field as the control plane spells it (`ms`,
/// `jitter_ms`, `distribution`, `probability`, `peers`, `duration_s`), so an HTTP answer or a
/// plan check can say which field is wrong.
public struct FaultParameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The field's name in the control plane's JSON (snake_case).
    public var field: String
    /// What is wrong with it, as a phrase after the field name ("must be from 0 to 1").
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    /// `field problem`, e.g. `probability must be from 0 to 1`.
    public var description: String { "\(field) \(problem)" }
}
