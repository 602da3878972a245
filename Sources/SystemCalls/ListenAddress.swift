#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a host text did not resolve to an address (`getaddrinfo(3)`, which reports no errno).
public struct AddressResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var host: String
    /// The resolver's text, `gai_strerror(3)`, e.g. "Name or service not known".
    public var reason: String

    public var description: String { "cannot resolve the address \(host): \(reason)" }
}

/// An IPv4 or IPv6 address and port to listen on, resolved from a host text: what the control
/// plane binds, and what a bind probe (`probeBind`) tries. (Not NIO's `SocketAddress`, which the
/// peer side uses.)
public struct ListenAddress {
    private var storage = sockaddr_storage()
    private var length = socklen_t(0)
    public private(set) var isIPv6 = false

    /// Resolves `host` (a numeric address or a name) for a listening socket on `port`; the first
    /// address the resolver gives is used.
    public static func resolve(host: String, port: Int) throws(AddressResolutionError) -> ListenAddress {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw AddressResolutionError(host: host, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(results) }
        var address = ListenAddress()
        let count = min(Int(first.pointee.ai_addrlen), MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutableBytes(of: &address.storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: count))
        }
        address.length = socklen_t(count)
        address.isIPv6 = first.pointee.ai_family == AF_INET6
        return address
    }

    /// 127.0.0.1:`port`, without asking the resolver.
    public static func loopbackIPv4(port: UInt16) -> ListenAddress {
        var address = ListenAddress()
        withUnsafeMutableBytes(of: &address.storage) { raw in
            var ipv4 = sockaddr_in()
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = port.bigEndian
            ipv4.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            withUnsafeBytes(of: &ipv4) { raw.copyMemory(from: $0) }
        }
        address.length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return address
    }

    /// Hands `body` the address as the C `struct sockaddr` that bind(2) and libmicrohttpd take.
    public func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1, body)
        }
    }

    /// The length of the address in bytes, as bind(2) takes it.
    var byteCount: socklen_t { length }
}
