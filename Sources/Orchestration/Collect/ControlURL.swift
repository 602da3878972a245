/// Where a VM's control plane answers, as `vmserver collect` takes it: `http://HOST:PORT`,
/// `HOST:PORT` or `[IPV6]:PORT`, with an optional trailing `/`. No other scheme or path.
public struct ControlURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `http://host:port`, with brackets around an IPv6 address.
    public var description: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Reads a URL; the error says what is wrong with it, for a one-line message naming the option.
    public static func parse(_ text: String) throws(ControlURLError) -> ControlURL {
        var rest = Substring(text)
        if rest.hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        } else if rest.contains("://") {
            throw ControlURLError("\(text): only http:// is served by a VM's control plane")
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/") else {
            throw ControlURLError("\(text): give the VM's address only (http://HOST:PORT), without a path")
        }
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else {
                throw ControlURLError("\(text): expected [IPV6]:PORT")
            }
            host = rest[rest.index(after: rest.startIndex)..<close]
            portText = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let colon = rest.lastIndex(of: ":") else {
                throw ControlURLError("\(text): expected HOST:PORT, e.g. http://10.0.0.2:6001 (a VM's CONTROL_PORT)")
            }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "@" }) else {
            throw ControlURLError("\(text): the host is missing or not a host name")
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ControlURLError("\(text): the port must be a number from 1 to 65535")
        }
        return ControlURL(host: String(host), port: port)
    }
}

/// Why a text is not a control-plane URL.
public struct ControlURLError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
