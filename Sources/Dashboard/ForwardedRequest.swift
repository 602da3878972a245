/// A request the dashboard passes on to one VM's control plane on the page's behalf.
public struct ForwardedRequest: Sendable, Equatable {
    /// The VM, by the id its `/status` reports.
    public var vmID: Int
    /// `GET`, `PATCH`, `POST` or `DELETE`.
    public var method: String
    /// The VM's path: `/config`, `/faults` or `/faults/{id}`.
    public var path: String
    /// The JSON body, if any, as the page sent it.
    public var body: [UInt8]?
    /// The page's `Authorization` header (the VM's CONTROL_TOKEN), passed on unchanged.
    public var authorization: String?

    public init(vmID: Int, method: String, path: String, body: [UInt8]? = nil, authorization: String? = nil) {
        self.vmID = vmID
        self.method = method
        self.path = path
        self.body = body
        self.authorization = authorization
    }
}

/// What a forwarded request came back with.
public enum ForwardOutcome: Sendable, Equatable {
    /// The VM's answer, passed back to the page as it is.
    case answered(status: Int, body: [UInt8])
    /// No answer; the reason in words.
    case failed(String)
}
