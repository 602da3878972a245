import NIOConcurrencyHelpers
import SystemCalls

/// Fewer free ports were found than asked for.
public struct FreePortsError: Error, CustomStringConvertible {
    public var requested: Int
    public var found: Int

    public var description: String {
        "found only \(found) free TCP ports on 127.0.0.1 below the ephemeral range, \(requested) needed; "
            + "close some listeners or run fewer VMs"
    }
}

/// Finds TCP ports on 127.0.0.1 that are free for VMs to listen on.
///
/// Ports are drawn below the kernel's ephemeral range (Linux: ip_local_port_range, usually
/// 32768-60999), so an outgoing connection made meanwhile (a peer dialing, an HTTP request) cannot
/// take a port between the moment it is picked and the moment its VM binds it; each candidate is
/// checked by binding it, and handed out at most once per `HandedOutPorts` ledger; the ledger draws
/// them from blocks no other process of this host draws from, so that two processes allocating at
/// the same time (a test and the `vmserver cluster` it started) cannot pick the same port either.
public enum FreePorts {
    /// Exactly `count` distinct ports that are free now; throws `FreePortsError` when fewer are found.
    public static func allocate(_ count: Int, ledger: HandedOutPorts = .process) throws -> [Int] {
        let range = listenRange
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count && attempts < 100_000 {
            attempts += 1
            guard let port = ledger.next(in: range) else { break }
            if isBindable(port) { ports.append(port) }
        }
        guard ports.count == max(count, 0) else { throw FreePortsError(requested: count, found: ports.count) }
        return ports
    }

    /// Where VM ports are drawn from: 10000 up to the ephemeral range (at most 32767).
    public static var listenRange: Range<Int> { 10_000..<min(ephemeralStart(), 32_768) }

    /// One port that is free now; throws `FreePortsError` when there is none.
    public static func allocateOne(ledger: HandedOutPorts = .process) throws -> Int {
        guard let port = try allocate(1, ledger: ledger).first else {
            throw FreePortsError(requested: 1, found: 0)
        }
        return port
    }

    /// The first port of the kernel's ephemeral range (32768 when it cannot be read).
    static func ephemeralStart() -> Int {
        guard let bytes = try? FileSystem.contents(of: "/proc/sys/net/ipv4/ip_local_port_range", maxBytes: 63)
        else { return 32_768 }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first,
            let start = Int(first), start > 10_100
        else { return 32_768 }
        return start
    }

    /// Whether a listening socket can bind 127.0.0.1:`port` now. Without SO_REUSEADDR: a port
    /// with connections lingering in TIME_WAIT is passed over.
    static func isBindable(_ port: Int) -> Bool {
        guard let tcpPort = UInt16(exactly: port) else { return false }
        do {
            try ListenAddress.loopbackIPv4(port: tcpPort).probeBind(reuseAddress: false)
            return true
        } catch {
            return false
        }
    }
}
