import Orchestration

/// What the dashboard last learned of one VM through its control plane.
public struct VMView: Sendable, Equatable {
    /// Where the VM's control plane answers.
    public var url: ControlURL
    /// The VM's id, from its last `GET /status` (nil until it answered once).
    public var vmID: Int?
    /// The body of its last good `GET /status`, as the VM wrote it (JSON text).
    public var status: [UInt8]?
    /// Why the last poll failed, in words; nil when it answered.
    public var problem: String?
    /// When the last poll finished, microseconds since 1970 (0 before the first).
    public var polledAt: Int64 = 0
    /// The `seq` of the last log line read (the next `GET /log` asks for `after` this).
    public var logCursor: Int?

    public init(url: ControlURL) {
        self.url = url
    }

    /// Whether the last poll got an answer.
    public var reachable: Bool { problem == nil && status != nil }
}
