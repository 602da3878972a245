import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP/1.1 response, as read off the wire.
struct HTTPReply: CustomStringConvertible {
    var status: Int
    /// Header fields in the order received.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The value of the first header named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw HTTPClientError("not a JSON object: \(text.prefix(300))")
        }
        return object
    }

    /// The body decoded strictly (missing fields and wrong types fail), snake_case keys to camelCase.
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(body))
    }

    /// The message of an error body, which must be exactly `{"error": "<text>"}`.
    var errorMessage: String? {
        guard let object = try? object(), object.count == 1 else { return nil }
        return object["error"] as? String
    }

    var description: String { "HTTP \(status) \(text.prefix(400))" }
}

struct HTTPClientError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A blocking HTTP/1.1 client connection over IPv4, with no hidden behaviour: it sends exactly the
/// headers it is given (plus Host and, with a body, Content-Length), so tests control
/// Content-Type, Authorization and keep-alive themselves.
final class HTTPConnection {
    private var descriptor: Int32
    /// Bytes read past the end of the previous response.
    private var pending: [UInt8] = []

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close()
    }

    /// Connects to `host:port` (an IPv4 address), from `source` if given (e.g. another loopback
    /// address such as 127.0.0.2), waiting at most `timeout` seconds for the connection; every
    /// later read or write waits at most `ioTimeout` seconds.
    static func open(
        host: String = "127.0.0.1", port: Int, source: String? = nil, timeout: Double = 5, ioTimeout: Int = 15
    ) throws
        -> HTTPConnection
    {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw HTTPClientError("socket: \(String(cString: strerror(errno)))") }
        let connection = HTTPConnection(descriptor: descriptor)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw HTTPClientError("not an IPv4 address: \(host)")
        }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            guard inet_pton(AF_INET, source, &local.sin_addr) == 1 else {
                throw HTTPClientError("not an IPv4 address: \(source)")
            }
            let bound = withUnsafePointer(to: &local) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    bind(descriptor, raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw HTTPClientError("bind to \(source): \(String(cString: strerror(errno)))") }
        }
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        let started = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                connect(descriptor, raw, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if started != 0 {
            guard errno == EINPROGRESS else {
                throw HTTPClientError("connect to \(host):\(port): \(String(cString: strerror(errno)))")
            }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&waiting, 1, Int32(timeout * 1000))
            guard ready == 1 else { throw HTTPClientError("connect to \(host):\(port): timed out") }
            var failure: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
            guard failure == 0 else {
                throw HTTPClientError("connect to \(host):\(port): \(String(cString: strerror(failure)))")
            }
        }
        _ = fcntl(descriptor, F_SETFL, flags)
        var wait = timeval(tv_sec: ioTimeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        return connection
    }

    /// Sends one request and reads its response.
    func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> HTTPReply {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try send(Array(head.utf8) + (body ?? []))
        return try readResponse()
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                    Darwin.send(descriptor, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw HTTPClientError("send: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// Reads more bytes into `pending`; false at end of stream.
    private func fill() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in recv(descriptor, raw.baseAddress, raw.count, 0) }
            if count > 0 {
                pending += buffer[0..<count]
                return true
            }
            if count == 0 || errno == ECONNRESET { return false }
            if errno == EINTR { continue }
            throw HTTPClientError("recv: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads one response: its head, then a Content-Length or chunked body (or up to the close).
    func readResponse() throws -> HTTPReply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while true {
            headEnd = pending.firstRange(of: separator)?.lowerBound
            if headEnd != nil { break }
            guard try fill() else { throw HTTPClientError("connection closed before a response head") }
        }
        let headText = String(decoding: pending[..<headEnd!], as: UTF8.self)
        pending.removeSubrange(..<(headEnd! + separator.count))
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw HTTPClientError("bad status line in: \(headText)")
        }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var reply = HTTPReply(status: status, headers: headers, body: [])
        if let length = reply.header("Content-Length").flatMap({ Int($0) }) {
            while pending.count < length {
                guard try fill() else { throw HTTPClientError("connection closed inside a body") }
            }
            reply.body = Array(pending[..<length])
            pending.removeSubrange(..<length)
        } else if reply.header("Transfer-Encoding")?.lowercased() == "chunked" {
            reply.body = try readChunks()
        } else {
            while try fill() {}
            reply.body = pending
            pending = []
        }
        return reply
    }

    private func readChunks() throws -> [UInt8] {
        var body: [UInt8] = []
        let newline: [UInt8] = Array("\r\n".utf8)
        while true {
            var lineEnd = pending.firstRange(of: newline)?.lowerBound
            while lineEnd == nil {
                guard try fill() else { throw HTTPClientError("connection closed inside a chunk size") }
                lineEnd = pending.firstRange(of: newline)?.lowerBound
            }
            let sizeText = String(decoding: pending[..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw HTTPClientError("bad chunk size '\(sizeText)'")
            }
            pending.removeSubrange(..<(lineEnd! + 2))
            while pending.count < size + 2 {
                guard try fill() else { throw HTTPClientError("connection closed inside a chunk") }
            }
            body += pending[..<size]
            pending.removeSubrange(..<(size + 2))
            if size == 0 { return body }
        }
    }

    func close() {
        guard descriptor >= 0 else { return }
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
        descriptor = -1
    }
}

/// The control plane of one VM: one connection per request (`Connection: close`).
struct ControlClient: Sendable {
    var host = "127.0.0.1"
    var port: Int

    func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) throws -> HTTPReply {
        let connection = try HTTPConnection.open(host: host, port: port)
        defer { connection.close() }
        return try connection.request(method, target, headers: headers + [("Connection", "close")], body: body)
    }

    func get(_ target: String) throws -> HTTPReply {
        try request("GET", target)
    }

    /// A PATCH (or PUT) of `json` with `Content-Type: application/json`, and the token if given.
    func change(_ json: String, method: String = "PATCH", token: String? = nil) throws -> HTTPReply {
        var headers = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try request(method, "/config", headers: headers, body: Array(json.utf8))
    }

    /// GET of a JSON endpoint that must answer 200.
    func object(_ target: String) throws -> [String: Any] {
        let reply = try get(target)
        guard reply.status == 200 else { throw HTTPClientError("GET \(target): \(reply)") }
        return try reply.object()
    }

    func status() throws -> StatusReply {
        let reply = try get("/status")
        guard reply.status == 200 else { throw HTTPClientError("GET /status: \(reply)") }
        return try reply.decode(StatusReply.self)
    }

    func clock() throws -> Int {
        let reply = try get("/clock")
        guard reply.status == 200 else { throw HTTPClientError("GET /clock: \(reply)") }
        return try reply.decode(ClockReply.self).clock
    }

    func config() throws -> ConfigReply {
        let reply = try get("/config")
        guard reply.status == 200 else { throw HTTPClientError("GET /config: \(reply)") }
        return try reply.decode(ConfigReply.self)
    }

    /// Whether the control plane answers at all (any status).
    var isAnswering: Bool { (try? get("/livez")) != nil }
}

/// `tick_rate` as the control plane writes it: a number, or "max".
enum TickRateValue: Decodable, Equatable {
    case number(Double)
    case max

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if try container.decode(String.self) == "max" {
            self = .max
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "tick_rate: a number or \"max\"")
        }
    }
}

/// `GET /status`; decoding fails on a missing field or a wrong type.
struct StatusReply: Decodable {
    struct Events: Decodable {
        var `internal`: Int
        var send: Int
        var receive: Int
    }

    struct Peer: Decodable {
        var id: Int
        var address: String?
        var connected: Bool
        var sent: Int
        var received: Int
        var dropped: Int
    }

    var vmId: Int
    var state: String
    var clock: Int
    var queueLength: Int
    var tickRate: TickRateValue
    var measuredTickRate: Double
    var maxAction: Int
    var paused: Bool
    var events: Events
    var peers: [Peer]
    var totalVms: Int
    var lastSeq: Int
    var uptimeS: Double
}

/// `GET /clock`.
struct ClockReply: Decodable {
    var vmId: Int
    var clock: Int
}

/// `GET /config` and the answer of a change.
struct ConfigReply: Decodable, Equatable {
    var vmId: Int
    var tickRate: TickRateValue
    var maxAction: Int
    var paused: Bool
    var totalVms: Int
    var seed: Int
    var runTimeS: Double?
    var port: Int
    var peers: [String: String]
    var logDir: String
}
