#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address to listen on, resolved from a host text: what the control plane binds,
/// and what `ListenProblem` probes. (Not NIO's `SocketAddress`, which the peer side uses.)
public struct ListenAddress {
    private var storage = sockaddr_storage()
    public private(set) var isIPv6 = false

    /// Resolves `host` (numeric address or name) for a listening socket on `port`.
    public static func resolve(host: String, port: Int) throws -> ListenAddress {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw HTTPServerError(
                description: "cannot resolve the address \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        var address = ListenAddress()
        withUnsafeMutableBytes(of: &address.storage) { raw in
            raw.copyMemory(
                from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        address.isIPv6 = first.pointee.ai_family == AF_INET6
        return address
    }

    public func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
        }
    }
}
