import NIOCore
import Settings
import SystemCalls

/// Why a listener (the peer listener on HOST:PORT, or the control plane on CONTROL_HOST:CONTROL_PORT)
/// could not start, as one line for the person running the VM, naming the setting to change.
public struct ListenProblem: Sendable, Equatable {
    /// The settings of the listener: `PORT` and `HOST`, or `CONTROL_PORT` and `CONTROL_HOST`.
    public var portSetting: String
    public var hostSetting: String
    public var host: String
    public var port: Int
    /// Said after the port, e.g. " (PORT + 1000)" for a CONTROL_PORT that was not set.
    public var portNote: String = ""

    public init(portSetting: String, hostSetting: String, host: String, port: Int, portNote: String = "") {
        self.portSetting = portSetting
        self.hostSetting = hostSetting
        self.host = host
        self.port = port
        self.portNote = portNote
    }

    /// The peer listener of `settings`.
    public static func peers(_ settings: VMSettings) -> ListenProblem {
        ListenProblem(portSetting: "PORT", hostSetting: "HOST", host: settings.host, port: settings.port)
    }

    /// The control plane of `settings`.
    public static func control(_ settings: VMSettings) -> ListenProblem {
        ListenProblem(
            portSetting: "CONTROL_PORT", hostSetting: "CONTROL_HOST", host: settings.controlHost,
            port: settings.controlPort, portNote: settings.controlPortDerived ? " (PORT + 1000)" : "")
    }

    /// What went wrong when binding failed with `error`. The error's errno is used when it has one
    /// (SwiftNIO's `IOError`); otherwise (libmicrohttpd reports no reason) a probe binds the
    /// address once more to learn it.
    public func explain(_ error: any Error) -> String {
        if let io = error as? IOError { return explain(errno: io.errnoCode, detail: "\(error)") }
        if error is SocketAddressError { return unresolvable(detail: nil) }
        switch Self.probe(host: host, port: port) {
        case .unresolvable(let detail): return unresolvable(detail: detail)
        case .failed(let code): return explain(errno: code, detail: "\(error)")
        case .bindable: return explain(errno: 0, detail: "\(error)")
        }
    }

    /// The line for a bind that failed with `code` (an errno value).
    public func explain(errno code: Int32, detail: String) -> String {
        switch code {
        case Errno.addressInUse.rawValue:
            return "\(portSetting) \(port)\(portNote) is already in use on \(host) "
                + "(another VM or program is listening there); choose another \(portSetting)"
        case Errno.permissionDenied.rawValue:
            let first = Self.firstUnprivilegedPort()
            guard port < first else {
                return "\(portSetting) \(port)\(portNote) on \(host) is not allowed for this process "
                    + "(permission denied); choose another \(portSetting)"
            }
            return "\(portSetting) \(port)\(portNote) on \(host) needs privileges this process does not have "
                + "(ports below \(first) are reserved); choose a \(portSetting) from \(first) to 65535"
        case Errno.addressNotAvailable.rawValue:
            return "\(hostSetting) \(host) is not an address of this machine; use 127.0.0.1, 0.0.0.0 "
                + "(every address) or one of this machine's addresses"
        default:
            let reason = code == 0 ? detail : Errno(rawValue: code).description
            return "cannot listen on \(hostSetting) \(host), \(portSetting) \(port)\(portNote): \(reason)"
        }
    }

    private func unresolvable(detail: String?) -> String {
        "\(hostSetting) \(host) is not an address or a known host name"
            + (detail.map { " (\($0))" } ?? "") + "; use an IP address such as 127.0.0.1 or 0.0.0.0"
    }

    /// How a bind of `host:port` ends now.
    enum ProbeResult: Equatable {
        case unresolvable(String)
        case failed(Int32)
        case bindable
    }

    /// Binds a TCP socket to `host:port` as the listeners do (SO_REUSEADDR, so a port whose old
    /// connections linger in TIME_WAIT counts as free) and closes it at once.
    static func probe(host: String, port: Int) -> ProbeResult {
        let address: ListenAddress
        do {
            address = try ListenAddress.resolve(host: host, port: port)
        } catch {
            return .unresolvable(error.reason)
        }
        do {
            try address.probeBind(reuseAddress: true)
            return .bindable
        } catch {
            return .failed(error.errno.rawValue)
        }
    }

    /// The lowest port any user may bind (Linux: net.ipv4.ip_unprivileged_port_start; else 1024).
    static func firstUnprivilegedPort() -> Int {
        guard let bytes = try? FileSystem.contents(of: "/proc/sys/net/ipv4/ip_unprivileged_port_start", maxBytes: 15),
            let value = Int(String(decoding: bytes, as: UTF8.self).trimmingWhitespace()),
            (0...65536).contains(value)
        else { return 1024 }
        return value
    }
}
