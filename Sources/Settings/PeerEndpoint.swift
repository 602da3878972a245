import JSONText
import LamportCore

/// A peer this VM dials: its id and where it listens.
public struct PeerEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var id: Int
    public var host: String
    public var port: Int

    public init(id: Int, host: String, port: Int) {
        self.id = id
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }

    /// Parses the PEERS setting: a JSON object of id -> port (host 127.0.0.1) or id -> "host:port".
    /// Returns the peers ordered by id. Strict JSON (`JSONBodyParser`), except that a key given
    /// twice keeps its first value, as the setting has always been read.
    public static func parseList(_ text: String) throws(SettingsError) -> [PeerEndpoint] {
        let accepted =
            #"a JSON object of VM id -> port or "host:port", e.g. {"1": 5001, "2": "vm2:5002"}"#
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return [] }
        let notAList = SettingsError("PEERS", "expected \(accepted); got \(quoted(text))")
        guard case .object(let members)? = try? JSONBodyParser(duplicateKeys: .keepFirst).parse(Array(trimmed.utf8))
        else { throw notAList }
        // Every value is checked before any id, as JSONDecoder did.
        var entries: [(key: String, value: PeerValue)] = []
        for member in members {
            guard let value = PeerValue(member.value) else { throw notAList }
            entries.append((member.key, value))
        }
        var peers: [PeerEndpoint] = []
        for (key, value) in entries {
            guard let id = Int(key), id >= 1 else {
                throw SettingsError("PEERS", "peer ids must be integers >= 1; got \(quoted(key))")
            }
            switch value {
            case .port(let port):
                peers.append(PeerEndpoint(id: id, host: "127.0.0.1", port: try checkedPort(port, peer: id)))
            case .address(let address):
                peers.append(try parseAddress(address, peer: id))
            }
        }
        return peers.sorted { $0.id < $1.id }
    }

    /// One value of the PEERS object: a bare port (a whole number) or a "host:port" string.
    private enum PeerValue {
        case port(Int)
        case address(String)

        /// Nil for any other value.
        init?(_ value: JSONValue) {
            switch value {
            case .number(let number):
                guard let port = Int(exactly: number) else { return nil }
                self = .port(port)
            case .string(let address):
                self = .address(address)
            default:
                return nil
            }
        }
    }

    private static func parseAddress(_ address: String, peer id: Int) throws(SettingsError) -> PeerEndpoint {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...])
        else {
            throw SettingsError("PEERS", "peer \(id): expected \"host:port\"; got \(quoted(address))")
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw SettingsError("PEERS", "peer \(id): the host is empty in \(quoted(address))")
        }
        return PeerEndpoint(id: id, host: host, port: try checkedPort(port, peer: id))
    }

    private static func checkedPort(_ port: Int, peer id: Int) throws(SettingsError) -> Int {
        guard (1...65535).contains(port) else {
            throw SettingsError("PEERS", "peer \(id): port must be 1-65535; got \(port)")
        }
        return port
    }
}
