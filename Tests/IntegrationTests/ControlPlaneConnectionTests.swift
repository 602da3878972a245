import Foundation
import Testing

@testable import MicroHTTP
@testable import Orchestration

extension ControlPlaneTests {
    /// Many connections to one VM's control plane: none of them may lock an operator out.
    @Suite
    struct Connections {
        /// Whether this process can hold `count` more descriptors (its soft limit raised first).
        static func canOpen(_ count: Int) -> Bool {
            (OpenFileLimit.raiseSoftLimitToHard() ?? 0) >= count + 256
        }

        @Test(
            "1,000 idle connections from one address (half stopped mid-request) leave /status and /livez answering",
            .enabled(if: canOpen(1_000), "this process cannot open 1,000 more files (RLIMIT_NOFILE)"))
        func thousandIdleConnections() async throws {
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let setup = try SingleVMs.environment(workspace)
            let vm = try workspace.start("vm", environment: setup.environment)
            let control = ControlClient(port: setup.controlPort)
            let answering = await poll { !vm.isRunning || control.isAnswering }
            try #require(answering && vm.isRunning, "\(describe([vm]))")

            var connections: [HTTPConnection] = []
            defer { for connection in connections { connection.close() } }
            for index in 0..<1_000 {
                let connection = try HTTPConnection.open(port: setup.controlPort)
                switch index % 4 {
                case 0, 2:
                    // A request trickling in: the head is never finished.
                    try connection.send(Array("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ".utf8))
                case 1:
                    // Keep-alive: one request, then idle.
                    let reply = try connection.request("GET", "/clock", headers: [("Connection", "keep-alive")])
                    try #require(reply.status == 200, "connection \(index): \(reply)")
                default:
                    break  // connected, nothing sent
                }
                connections.append(connection)
            }

            // New connections from the same address are still served.
            for _ in 0..<3 {
                let status = try control.get("/status")
                #expect(status.status == 200, "\(status)")
                #expect(try status.decode(StatusReply.self).vmId == 1)
                #expect(try control.get("/livez").status == 200)
            }
            // So are the idle keep-alive connections: none was dropped to make room.
            for connection in connections.indices.filter({ $0 % 4 == 1 }).prefix(20).map({ connections[$0] }) {
                #expect(try connection.request("GET", "/clock", headers: [("Connection", "keep-alive")]).status == 200)
            }
            #expect(vm.isRunning)
            for connection in connections { connection.close() }
            #expect(await stopAll([vm]) == [.code(0)], "\(describe([vm]))")
        }
    }
}
