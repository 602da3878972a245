import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fewer free ports were found than asked for.
public struct FreePortsError: Error, CustomStringConvertible {
    public var requested: Int
    public var found: Int

    public var description: String {
        "found only \(found) free TCP ports on 127.0.0.1 below the ephemeral range, \(requested) needed; "
            + "close some listeners or run fewer VMs"
    }
}

/// The ports handed out so far in this process, so that clusters started side by side (tests,
/// experiments) never get the same port: a port stays free until its VM binds it, so two
/// allocations could otherwise both find it free.
public final class HandedOutPorts: Sendable {
    private let ports = NIOLockedValueBox<Set<Int>>([])

    /// The ledger every allocation in this process shares.
    public static let process = HandedOutPorts()

    public init() {}

    /// Records `port`; false when it was handed out before.
    func claim(_ port: Int) -> Bool {
        ports.withLockedValue { $0.insert(port).inserted }
    }
}

/// Finds TCP ports on 127.0.0.1 that are free for VMs to listen on.
///
/// Ports are drawn below the kernel's ephemeral range (Linux: ip_local_port_range, usually
/// 32768-60999), so an outgoing connection made meanwhile (a peer dialing, an HTTP request) cannot
/// take a port between the moment it is picked and the moment its VM binds it; each candidate is
/// checked by binding it, and a port is handed out at most once per `HandedOutPorts` ledger.
public enum FreePorts {
    /// Exactly `count` distinct ports that are free now; throws `FreePortsError` when fewer are found.
    public static func allocate(_ count: Int, ledger: HandedOutPorts = .process) throws -> [Int] {
        let range = 10_000..<min(ephemeralStart(), 32_768)
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count && attempts < 100_000 {
            attempts += 1
            let port = Int.random(in: range)
            guard ledger.claim(port) else { continue }
            if isBindable(port) { ports.append(port) }
        }
        guard ports.count == max(count, 0) else { throw FreePortsError(requested: count, found: ports.count) }
        return ports
    }

    /// One port that is free now; throws `FreePortsError` when there is none.
    public static func allocateOne(ledger: HandedOutPorts = .process) throws -> Int {
        guard let port = try allocate(1, ledger: ledger).first else {
            throw FreePortsError(requested: 1, found: 0)
        }
        return port
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
        guard let tcpPort = UInt16(exactly: port) else { return false }
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = tcpPort.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(descriptor, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
