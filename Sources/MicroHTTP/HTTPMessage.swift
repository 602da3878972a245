import JSONText

/// An HTTP request as the control plane's routes see it: no C types, the body already read.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The path without the query string, e.g. `/log`.
    public var path: String
    /// Query arguments; a repeated name keeps its last value.
    public var query: [String: String]
    /// Request headers, names in lowercase.
    public var headers: [String: String]
    public var body: [UInt8]
    /// True when the body exceeded the server's limit; `body` is then empty.
    public var bodyTooLarge: Bool

    public init(
        method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
        body: [UInt8] = [], bodyTooLarge: Bool = false
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
    }
}

/// An HTTP response from a route.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON body (already encoded) with its content type.
    public static func json(_ status: Int = 200, _ text: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [HTTPHeader("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    /// The error shape of every failed request: `{"error": "..."}`.
    public static func error(_ status: Int, _ message: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        var text = #"{"error":""#
        var bytes: [UInt8] = []
        JSONBytes.appendEscaped(message, to: &bytes)
        text += String(decoding: bytes, as: UTF8.self) + "\"}"
        return json(status, text, headers: headers)
    }
}

/// One response header.
public struct HTTPHeader: Sendable, Equatable {
    public let name: String
    public let value: String
    /// The name and value as C strings, made once, so a shared header (e.g. a static
    /// `Content-Type`) costs no conversion per response.
    let cName: ContiguousArray<CChar>
    let cValue: ContiguousArray<CChar>

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
        cName = name.utf8CString
        cValue = value.utf8CString
    }

    public static func == (lhs: HTTPHeader, rhs: HTTPHeader) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value
    }
}
