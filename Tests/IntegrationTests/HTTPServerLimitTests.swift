import Foundation
import Testing

@testable import MicroHTTP

/// The HTTP server's connection limits, on a server in this process with small limits.
@Suite struct HTTPServerLimitTests {
    /// A server answering every request with 200 and the path.
    static func server(_ limits: HTTPServer.Limits) throws -> HTTPServer {
        try HTTPServer(host: "127.0.0.1", port: 0, limits: limits) { request in
            .json(200, #"{"path":"\#(request.path)"}"#)
        }
    }

    /// Opens a connection from `source` and makes one keep-alive request on it, so the server
    /// surely counts it; it then stays open, idle.
    static func idleConnection(_ server: HTTPServer, from source: String = "127.0.0.1") throws -> HTTPConnection {
        let connection = try HTTPConnection.open(port: server.port, source: source)
        let reply = try connection.request("GET", "/idle", headers: [("Connection", "keep-alive")])
        guard reply.status == 200 else { throw HTTPClientError("GET /idle: \(reply)") }
        return connection
    }

    /// Whether a new connection from `source` gets an answer (false when the server closes it, or
    /// has not answered within a few seconds because it is full).
    static func answers(_ server: HTTPServer, from source: String = "127.0.0.1") -> Bool {
        guard let connection = try? HTTPConnection.open(port: server.port, source: source, ioTimeout: 3) else {
            return false
        }
        defer { connection.close() }
        return (try? connection.request("GET", "/status", headers: [("Connection", "close")]))?.status == 200
    }

    @Test("automatic limits: half the open-file limit, at most 10,000; 7/8 of that per address")
    func automaticLimits() throws {
        #expect(HTTPServer.Limits.automaticConnectionLimit(openFileSoftLimit: 1024) == 512)
        #expect(HTTPServer.Limits.automaticConnectionLimit(openFileSoftLimit: 20_000) == 10_000)
        #expect(HTTPServer.Limits.automaticConnectionLimit(openFileSoftLimit: 1_048_576) == 10_000)
        #expect(HTTPServer.Limits.automaticConnectionLimit(openFileSoftLimit: 10) == 16)
        #expect(HTTPServer.Limits.automaticPerIPLimit(connectionLimit: 10_000) == 8_750)
        #expect(HTTPServer.Limits.automaticPerIPLimit(connectionLimit: 1) == 1)

        let server = try Self.server(HTTPServer.Limits())
        defer { server.stop() }
        let soft = try #require(OpenFileLimit.current()?.soft)
        let hard = try #require(OpenFileLimit.current()?.hard)
        #expect(soft == hard || hard == Int.max, "the server raises the soft open-file limit to the hard one")
        #expect(server.connectionLimit == HTTPServer.Limits.automaticConnectionLimit(openFileSoftLimit: soft))
        #expect(server.perIPConnectionLimit == server.connectionLimit - server.connectionLimit / 8)
    }

    @Test(
        "at the per-address and the total limit new connections are refused, nothing crashes, freed slots serve again",
        .enabled(if: canBindLoopbackAliases, "needs 127.0.0.2 and 127.0.0.3 (Linux's loopback is 127/8)"))
    func refusalsAtTheLimits() async throws {
        let server = try Self.server(HTTPServer.Limits(connectionLimit: 8, perIPConnectionLimit: 6))
        defer { server.stop() }
        var idle = try (0..<6).map { _ in try Self.idleConnection(server) }
        #expect(!Self.answers(server), "a 7th connection from 127.0.0.1 is over the per-address limit")
        // Other addresses still have room: two more make the total 8, the limit.
        idle.append(try Self.idleConnection(server, from: "127.0.0.2"))
        idle.append(try Self.idleConnection(server, from: "127.0.0.2"))
        #expect(!Self.answers(server, from: "127.0.0.3"), "a 9th connection is over the total limit")

        // Every idle connection still works.
        for connection in idle {
            #expect(try connection.request("GET", "/again", headers: [("Connection", "keep-alive")]).status == 200)
        }
        // Freed slots serve new connections again.
        for connection in idle.prefix(3) { connection.close() }
        let served = await poll(timeout: .seconds(20)) {
            Self.answers(server) && Self.answers(server, from: "127.0.0.3")
        }
        #expect(served, "after three connections closed, new ones should be served")
    }

    @Test("a connection idle past the timeout is closed, and its slot freed")
    func idleTimeout() async throws {
        let server = try Self.server(
            HTTPServer.Limits(connectionLimit: 2, perIPConnectionLimit: 2, connectionTimeout: 1))
        defer { server.stop() }
        let first = try Self.idleConnection(server)
        let second = try HTTPConnection.open(port: server.port)
        try second.send(Array("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ".utf8))
        // Both slots are taken until the timeout closes them; then new connections are served.
        let served = await poll(timeout: .seconds(20)) { Self.answers(server) }
        #expect(served)
        // The idle connection was closed by the server: its stream ends (waiting for that takes
        // about the timeout; a quiet but open connection would fail differently, after 15 s).
        do {
            let reply = try first.readResponse()
            Issue.record("nothing was asked, yet an answer came: \(reply)")
        } catch {
            #expect("\(error)".contains("closed"), "\(error)")
        }
    }
}

/// Whether this machine routes 127.0.0.2 and 127.0.0.3 to loopback (Linux does: all of 127/8).
let canBindLoopbackAliases: Bool = {
    ["127.0.0.2", "127.0.0.3"].allSatisfy { source in
        guard let listener = try? TCPListener() else { return false }
        defer { listener.close() }
        return (try? HTTPConnection.open(port: listener.port, source: source, timeout: 2)) != nil
    }
}()
