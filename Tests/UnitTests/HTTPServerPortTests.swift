import Testing

@testable import MicroHTTP

@Suite struct HTTPServerPortTests {
    @Test("a port outside 0-65535 is an HTTPServerError, not a trap", arguments: [-1, 65_536, 70_000, Int.max])
    func outOfRange(port: Int) {
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPServer(host: "127.0.0.1", port: port) { _ in HTTPResponse(status: 200) }
        }
    }
}
