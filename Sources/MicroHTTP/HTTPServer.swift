import CMicroHTTPD
import Synchronization
import SystemCalls

/// An error starting the HTTP server, worded for the person running the VM.
public struct HTTPServerError: Error, CustomStringConvertible {
    public var description: String
}

/// An embedded HTTP/1.1 server on libmicrohttpd: the only type that touches the C library.
///
/// The daemon runs its own thread and calls `handler` there, one request at a time, with the
/// whole body read (up to `maxBodyBytes`; a larger body arrives as `bodyTooLarge`). Responses are
/// queued only once the request is complete, never on the first callback: since libmicrohttpd
/// 0.9.75 a response queued on the first call turns keep-alive off for that connection.
public final class HTTPServer: Sendable {
    /// Limits of the daemon, chosen so that an operator can always read `/status` and `/livez`:
    /// idle or trickling connections, even thousands from one address, must not lock others out.
    public struct Limits: Sendable {
        public var maxBodyBytes = 64 * 1024
        /// Most connections open at once; nil = automatic (`automaticConnectionLimit`), after the
        /// open-file soft limit was raised to the hard limit. Connections past the limit wait in
        /// the listen backlog until one closes (or are closed at once); nothing else happens.
        public var connectionLimit: Int?
        /// Most connections from one address; nil = 7/8 of the connection limit, so that one
        /// address, however busy, always leaves room for the others; 0 = no limit per address.
        public var perIPConnectionLimit: Int?
        /// Seconds a connection may stay idle (between requests, or with nothing arriving in the
        /// middle of one) before it is closed.
        public var connectionTimeout = 10
        /// The request headers handed to the handler (lowercase names) for requests that change
        /// something (any method but GET and HEAD); others are not read, which keeps the cost of
        /// the reads that scripts poll with (GET /clock) low.
        public var capturedHeaders = ["content-type", "authorization"]

        public init(connectionLimit: Int? = nil, perIPConnectionLimit: Int? = nil, connectionTimeout: Int = 10) {
            self.connectionLimit = connectionLimit
            self.perIPConnectionLimit = perIPConnectionLimit
            self.connectionTimeout = connectionTimeout
        }

        /// The largest automatic connection limit. Each idle connection costs a socket and
        /// libmicrohttpd's per-connection buffer (32 KiB, touched only as far as used).
        public static let maximumAutomaticConnections = 10_000

        /// Half of the open-file soft limit (the other half stays for the VM's log, peers and
        /// event loop), at most `maximumAutomaticConnections`, at least 16.
        public static func automaticConnectionLimit(openFileSoftLimit: Int) -> Int {
            max(16, min(maximumAutomaticConnections, openFileSoftLimit / 2))
        }

        /// 7/8 of `connectionLimit`.
        public static func automaticPerIPLimit(connectionLimit: Int) -> Int {
            max(1, connectionLimit - connectionLimit / 8)
        }
    }

    /// Turns a complete request into its response. The daemon calls it on its own thread, one
    /// request at a time, so a handler that blocks holds up every other request (`/livez`
    /// included). The request's `path` (without the query string) and `query` arguments are
    /// percent-decoded (`%00` left as it is); its headers are only `Limits.capturedHeaders`, and
    /// only for methods other than GET and HEAD.
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    /// The port the server listens on (the real one when 0 was asked for).
    public let port: Int
    /// The limits in force (the automatic ones resolved).
    public let connectionLimit: Int
    public let perIPConnectionLimit: Int
    private let core: ServerCore
    private let daemon: Mutex<DaemonHandle?>

    /// Starts listening on `host:port` (an IPv4 or IPv6 address, or a name such as `localhost`;
    /// port 0 picks a free port). Throws an `HTTPServerError` saying why it could not, also for a
    /// port outside 0-65535.
    public init(host: String, port: Int, limits: Limits = Limits(), handler: @escaping Handler) throws {
        guard let tcpPort = UInt16(exactly: port) else {
            throw HTTPServerError(description: "cannot listen on \(host):\(port): a TCP port is 0 to 65535")
        }
        let core = ServerCore(
            handler: handler, maxBodyBytes: limits.maxBodyBytes, capturedHeaders: limits.capturedHeaders)
        let address: ListenAddress
        do {
            address = try ListenAddress.resolve(host: host, port: port)
        } catch {
            throw HTTPServerError(description: error.description)
        }
        let context = Unmanaged.passUnretained(core).toOpaque()
        var flags = CMHD_default_flags()
        if address.isIPv6 { flags |= UInt32(MHD_USE_IPv6.rawValue) }
        let connectionLimit =
            limits.connectionLimit
            ?? Limits.automaticConnectionLimit(openFileSoftLimit: OpenFileLimit.raiseSoftLimitToHard() ?? 1024)
        let perIPConnectionLimit =
            limits.perIPConnectionLimit ?? Limits.automaticPerIPLimit(connectionLimit: connectionLimit)
        let started = address.withSockaddr { sockaddr in
            CMHD_start_daemon(
                flags, tcpPort, sockaddr, accessHandler, context, requestCompleted, nil, unescape,
                UInt32(clamping: connectionLimit), UInt32(clamping: perIPConnectionLimit),
                UInt32(clamping: limits.connectionTimeout))
        }
        guard let started else {
            throw HTTPServerError(description: "cannot listen on \(host):\(port) (address in use or not available)")
        }
        self.core = core
        self.daemon = Mutex(DaemonHandle(pointer: started))
        self.port = Int(CMHD_bound_port(started))
        self.connectionLimit = connectionLimit
        self.perIPConnectionLimit = perIPConnectionLimit
    }

    deinit {
        stop()
    }

    /// Stops accepting, closes all connections, and joins the daemon's thread.
    public func stop() {
        let running = daemon.withLock { value -> DaemonHandle? in
            defer { value = nil }
            return value
        }
        if let running { MHD_stop_daemon(running.pointer) }
    }
}

/// The daemon pointer. libmicrohttpd's daemon calls are thread-safe; the lock around the handle
/// only makes sure `stop` runs once.
private struct DaemonHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// What the C callbacks reach through their context pointer.
private final class ServerCore: Sendable {
    let handler: HTTPServer.Handler
    let maxBodyBytes: Int
    let capturedHeaders: [String]

    init(handler: @escaping HTTPServer.Handler, maxBodyBytes: Int, capturedHeaders: [String]) {
        self.handler = handler
        self.maxBodyBytes = maxBodyBytes
        self.capturedHeaders = capturedHeaders
    }

    /// The captured headers of a request (libmicrohttpd matches names case-insensitively). A value
    /// that is not UTF-8 is left out rather than repaired, so a value's bytes are exactly what the
    /// client sent (repairing would turn different bytes into the same U+FFFD).
    func headers(of connection: OpaquePointer) -> [String: String] {
        var headers: [String: String] = [:]
        for name in capturedHeaders {
            if let value = MHD_lookup_connection_value(connection, .HEADER_KIND, name) {
                headers[name] = String(validatingCString: value)
            }
        }
        return headers
    }
}

/// The body of one request as it arrives, kept in the request's context pointer.
private final class RequestBody {
    var bytes: [UInt8] = []
    var tooLarge = false
}

/// Marks a request whose headers have arrived but no body (yet): most requests are GETs without
/// one, and they then cost no allocation for a body. Only its address is used (never read or
/// written through), so sharing it between threads is safe.
nonisolated(unsafe) private let headersSeen = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

private let accessHandler: MHD_AccessHandlerCallback = {
    context, connection, url, method, _, uploadData, uploadDataSize, requestContext in
    guard let context, let connection, let requestContext else { return MHD_Result.NO }
    let core = Unmanaged<ServerCore>.fromOpaque(context).takeUnretainedValue()
    guard let state = requestContext.pointee else {
        // First call: only the headers are known. Answer later (keeps keep-alive working).
        requestContext.pointee = headersSeen
        return .YES
    }
    if let uploadDataSize, uploadDataSize.pointee > 0 {
        let body: RequestBody
        if state == headersSeen {
            body = RequestBody()
            requestContext.pointee = Unmanaged.passRetained(body).toOpaque()
        } else {
            body = Unmanaged<RequestBody>.fromOpaque(state).takeUnretainedValue()
        }
        let size = uploadDataSize.pointee
        if body.tooLarge || body.bytes.count + size > core.maxBodyBytes {
            body.tooLarge = true
            body.bytes = []
        } else if let uploadData {
            body.bytes.append(contentsOf: UnsafeRawBufferPointer(start: uploadData, count: size))
        }
        uploadDataSize.pointee = 0
        return .YES
    }
    let body = state == headersSeen ? nil : Unmanaged<RequestBody>.fromOpaque(state).takeUnretainedValue()
    let request = HTTPRequest(
        method: method.map { String(cString: $0) } ?? "GET",
        path: url.map { String(cString: $0) } ?? "/",
        query: queryArguments(connection),
        headers: isRead(method) ? [:] : core.headers(of: connection),
        body: body?.bytes ?? [], bodyTooLarge: body?.tooLarge ?? false)
    let answer = core.handler(request)
    return answer.body.withUnsafeBytes { raw -> MHD_Result in
        guard
            let response = MHD_create_response_from_buffer(
                raw.count, UnsafeMutableRawPointer(mutating: raw.baseAddress), .RESPMEM_MUST_COPY)
        else { return .NO }
        defer { MHD_destroy_response(response) }
        for header in answer.headers {
            header.cName.withUnsafeBufferPointer { name in
                header.cValue.withUnsafeBufferPointer { value in
                    _ = MHD_add_response_header(response, name.baseAddress, value.baseAddress)
                }
            }
        }
        return MHD_queue_response(connection, UInt32(answer.status), response)
    }
}

/// Percent-decodes paths and query arguments, leaving `%00` as it is (see `PercentDecoding`).
private let unescape: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafeMutablePointer<CChar>?) -> Int = {
    _, _, string in
    guard let string else { return 0 }
    return PercentDecoding.decodeInPlace(string)
}

private let requestCompleted: MHD_RequestCompletedCallback = { _, _, requestContext, _ in
    guard let requestContext, let state = requestContext.pointee else { return }
    if state != headersSeen { Unmanaged<RequestBody>.fromOpaque(state).release() }
    requestContext.pointee = nil
}

/// Whether a method only reads (GET or HEAD).
private func isRead(_ method: UnsafePointer<CChar>?) -> Bool {
    guard let method else { return true }
    return cString(method, equals: "GET") || cString(method, equals: "HEAD")
}

/// Whether the NUL-terminated `string` is exactly `literal` (compared byte for byte, reading no
/// further than the first difference or `string`'s NUL).
private func cString(_ string: UnsafePointer<CChar>, equals literal: StaticString) -> Bool {
    literal.withUTF8Buffer { bytes in
        for (index, byte) in bytes.enumerated() where UInt8(bitPattern: string[index]) != byte { return false }
        return string[bytes.count] == 0
    }
}

/// The query arguments of a request; a repeated name keeps its last value.
private func queryArguments(_ connection: OpaquePointer) -> [String: String] {
    var arguments: [String: String] = [:]
    guard MHD_get_connection_values(connection, .GET_ARGUMENT_KIND, nil, nil) > 0 else { return arguments }
    withUnsafeMutablePointer(to: &arguments) { pointer in
        _ = MHD_get_connection_values(
            connection, .GET_ARGUMENT_KIND,
            { context, _, key, value in
                guard let context, let key else { return .YES }
                let arguments = context.assumingMemoryBound(to: [String: String].self)
                arguments.pointee[String(cString: key)] = value.map { String(cString: $0) } ?? ""
                return .YES
            }, pointer)
    }
    return arguments
}
