import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds TCP ports on 127.0.0.1 that are free for VMs to listen on.
///
/// Ports are drawn below the kernel's ephemeral range (Linux: ip_local_port_range, usually
/// 32768-60999), so an outgoing connection made meanwhile (a peer dialing, an HTTP request) cannot
/// take a port between the moment it is picked and the moment its VM binds it; each candidate is
/// checked by binding it, and a port is handed out at most once per process, so clusters started
/// side by side (tests) never share one.
public enum FreePorts {
    private static let handedOut = NIOLockedValueBox<Set<Int>>([])

    /// `count` distinct ports that are free now.
    public static func allocate(_ count: Int) -> [Int] {
        let range = 10_000..<min(ephemeralStart(), 32_768)
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count && attempts < 100_000 {
            attempts += 1
            let port = Int.random(in: range)
            let fresh = handedOut.withLockedValue { used in used.insert(port).inserted }
            guard fresh else { continue }
            if isBindable(port) { ports.append(port) }
        }
        return ports
    }

    /// The first port of the kernel's ephemeral range (32768 when it cannot be read).
    static func ephemeralStart() -> Int {
        let descriptor = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return 32_768 }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, 63) }
        guard count > 0 else { return 32_768 }
        let text = String(decoding: bytes.prefix(count), as: UTF8.self)
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first,
            let start = Int(first), start > 10_100
        else { return 32_768 }
        return start
    }

    /// Whether a listening socket can bind 127.0.0.1:`port` now.
    static func isBindable(_ port: Int) -> Bool {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(descriptor, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
