import Testing

@testable import Settings

@Suite struct PeerEndpointTests {
    static func error(_ text: String) -> SettingsError? {
        do {
            _ = try PeerEndpoint.parseList(text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["", "  ", "{}", " { } "])
    func emptyListsHaveNoPeers(text: String) throws {
        #expect(try PeerEndpoint.parseList(text).isEmpty)
    }

    @Test func barePortsMeanLocalhostAndAreSortedByID() throws {
        let peers = try PeerEndpoint.parseList(#"{"3": 5003, "1": 5001, "2": 5002}"#)
        #expect(
            peers == [
                PeerEndpoint(id: 1, host: "127.0.0.1", port: 5001),
                PeerEndpoint(id: 2, host: "127.0.0.1", port: 5002),
                PeerEndpoint(id: 3, host: "127.0.0.1", port: 5003),
            ])
    }

    @Test func hostPortStrings() throws {
        let peers = try PeerEndpoint.parseList(
            #"{"1": "vm1:5001", "2": "10.0.0.2:6000", "3": "[::1]:5003", "4": "localhost:1"}"#)
        #expect(
            peers == [
                PeerEndpoint(id: 1, host: "vm1", port: 5001),
                PeerEndpoint(id: 2, host: "10.0.0.2", port: 6000),
                PeerEndpoint(id: 3, host: "::1", port: 5003),
                PeerEndpoint(id: 4, host: "localhost", port: 1),
            ])
    }

    @Test func mixedPortsAndAddresses() throws {
        let peers = try PeerEndpoint.parseList(#"{"2": "vm2:5002", "1": 5001}"#)
        #expect(peers.map(\.id) == [1, 2])
        #expect(peers.map(\.description) == ["127.0.0.1:5001", "vm2:5002"])
    }

    @Test(arguments: [
        "not json", "[1, 2]", "5001", #"{"1": 5001"#, #"{"a": 5001}"#, #"{"0": 5001}"#, #"{"-1": 5001}"#,
        #"{"1": 0}"#, #"{"1": 65536}"#, #"{"1": -5}"#, #"{"1": "vm1"}"#, #"{"1": "vm1:"}"#, #"{"1": ":5001"}"#,
        #"{"1": "vm1:70000"}"#, #"{"1": "vm1:port"}"#, #"{"1": true}"#, #"{"1": null}"#, #"{"1": 5001.5}"#,
        #"{"1": [5001]}"#, #"{"1": 1e30}"#,
    ])
    func badListsThrowNamingPeers(text: String) throws {
        let error = try #require(Self.error(text))
        #expect(error.setting == "PEERS")
        #expect(error.description.hasPrefix("invalid PEERS: "))
    }

    @Test func descriptionIsHostColonPort() {
        #expect(PeerEndpoint(id: 7, host: "vm7", port: 5007).description == "vm7:5007")
    }

    @Test("a VM id given twice keeps its first address, as PEERS has always been read")
    func repeatedIDKeepsTheFirst() throws {
        let peers = try PeerEndpoint.parseList(#"{"2": 5002, "3": 5003, "2": "elsewhere:6002"}"#)
        #expect(
            peers == [
                PeerEndpoint(id: 2, host: "127.0.0.1", port: 5002), PeerEndpoint(id: 3, host: "127.0.0.1", port: 5003),
            ])
    }
}
