import Foundation
import Testing

@testable import Orchestration

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ControlPlaneTests {
    /// Single VMs: where the control plane listens (CONTROL_HOST, a CONTROL_PORT that is taken), a VM
    /// still waiting for its peers, and the log of a VM restarted on its LOG_DIR.
    @Suite
    struct SingleVMs {
        /// A VM alone in its cluster (TOTAL_VMS 1), ticking slowly, with `changes` to its settings.
        static func environment(
            _ workspace: TestWorkspace, _ changes: [String: String] = [:]
        ) throws -> (
            environment: [String: String], controlPort: Int
        ) {
            let ports = try FreePorts.allocate(2)
            var environment = [
                "VM_ID": "1", "PORT": String(ports[0]), "CONTROL_PORT": String(ports[1]), "TOTAL_VMS": "1",
                "PEERS": "{}", "TICK_RATE": "5", "RUN_TIME": "60", "SEED": "1", "LOG_DIR": workspace.path("logs"),
            ]
            environment.merge(changes) { $1 }
            return (environment, Int(environment["CONTROL_PORT"]!)!)
        }

        /// Whether a connection to `host:port` can be made.
        static func reachable(_ host: String, _ port: Int) -> Bool {
            (try? HTTPConnection.open(host: host, port: port, timeout: 3)) != nil
        }

        @Test(
            "CONTROL_HOST 127.0.0.1 (the default) is not reachable on another address; 0.0.0.0 and that address are",
            .enabled(if: NetworkAddresses.nonLoopbackIPv4 != nil, "this machine has no non-loopback IPv4 address"))
        func controlHost() async throws {
            let address = try #require(NetworkAddresses.nonLoopbackIPv4)
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let loopback = try Self.environment(workspace)
            let any = try Self.environment(workspace, ["CONTROL_HOST": "0.0.0.0", "LOG_DIR": workspace.path("any")])
            let exact = try Self.environment(workspace, ["CONTROL_HOST": address, "LOG_DIR": workspace.path("exact")])
            let vms = [
                try workspace.start("loopback", environment: loopback.environment),
                try workspace.start("any", environment: any.environment),
                try workspace.start("exact", environment: exact.environment),
            ]
            let answering = await poll {
                vms.contains { !$0.isRunning }
                    || (ControlClient(port: loopback.controlPort).isAnswering
                        && ControlClient(port: any.controlPort).isAnswering
                        && ControlClient(host: address, port: exact.controlPort).isAnswering)
            }
            try #require(answering && vms.allSatisfy(\.isRunning), "\(describe(vms))")

            #expect(!Self.reachable(address, loopback.controlPort), "bound to 127.0.0.1, reachable on \(address)")
            #expect(try ControlClient(host: address, port: any.controlPort).get("/livez").status == 200)
            #expect(try ControlClient(port: any.controlPort).get("/livez").status == 200)
            #expect(try ControlClient(host: address, port: exact.controlPort).get("/clock").status == 200)
            #expect(!Self.reachable("127.0.0.1", exact.controlPort), "bound to \(address), reachable on loopback")
            #expect(await stopAll(vms) == [.code(0), .code(0), .code(0)], "\(describe(vms))")
        }

        @Test("a CONTROL_PORT another listener holds: exit 2 with one line naming CONTROL_PORT")
        func controlPortInUse() async throws {
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let listener = try TCPListener()
            defer { listener.close() }
            let setup = try Self.environment(workspace, ["CONTROL_PORT": String(listener.port)])
            let vm = try workspace.start("vm", environment: setup.environment)
            #expect(await vm.waitForExit() == .code(2), "\(describe([vm]))")
            let lines = vm.standardErrorLines
            #expect(lines.count == 1, "exactly one line expected:\n\(lines.joined(separator: "\n"))")
            #expect(lines.first?.contains("CONTROL_PORT") == true, "\(lines)")
        }

        @Test("a CONTROL_PORT another VM's control plane holds: the second VM exits 2 naming CONTROL_PORT")
        func controlPortOfAnotherVM() async throws {
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let first = try Self.environment(workspace)
            let firstVM = try workspace.start("first", environment: first.environment)
            let answering = await poll { !firstVM.isRunning || ControlClient(port: first.controlPort).isAnswering }
            try #require(answering && firstVM.isRunning, "\(describe([firstVM]))")

            let second = try Self.environment(
                workspace, ["CONTROL_PORT": String(first.controlPort), "LOG_DIR": workspace.path("second")])
            let secondVM = try workspace.start("second", environment: second.environment)
            let settled = await poll {
                !secondVM.isRunning || secondVM.standardError.contains("control plane on")
            }
            try #require(settled, "\(describe([secondVM]))")
            #expect(secondVM.exit == .code(2), "\(describe([secondVM]))")
            let lines = secondVM.standardErrorLines
            #expect(lines.count == 1 && lines.first?.contains("CONTROL_PORT") == true, "\(lines)")
            // Every answer on the port comes from the first VM.
            let logDirs = (1...10).map { _ in try? ControlClient(port: first.controlPort).config().logDir }
            #expect(logDirs.allSatisfy { $0 == workspace.path("logs") }, "\(logDirs)")
            #expect(firstVM.isRunning)
        }

        @Test("a CONTROL_HOST not on this machine: exit 2 with one line naming CONTROL_HOST")
        func controlHostNotLocal() async throws {
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let setup = try Self.environment(workspace, ["CONTROL_HOST": "203.0.113.7"])
            let vm = try workspace.start("vm", environment: setup.environment)
            #expect(await vm.waitForExit() == .code(2), "\(describe([vm]))")
            let lines = vm.standardErrorLines
            #expect(lines.count == 1, "exactly one line expected:\n\(lines.joined(separator: "\n"))")
            #expect(lines.first?.contains("CONTROL_HOST") == true, "\(lines)")
        }

        @Test("a VM waiting for its peers: state waiting_for_peers, /readyz 503, /livez 200, peers not connected")
        func waitingForPeers() async throws {
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let absent = try FreePorts.allocateOne()
            let setup = try Self.environment(
                workspace, ["VM_ID": "2", "TOTAL_VMS": "2", "PEERS": #"{"1": \#(absent)}"#, "STARTUP_TIMEOUT": "60"])
            let vm = try workspace.start("vm", environment: setup.environment)
            let control = ControlClient(port: setup.controlPort)
            let answering = await poll { !vm.isRunning || control.isAnswering }
            try #require(answering && vm.isRunning, "\(describe([vm]))")

            // (The first snapshot, before the VM's loop publishes one, does not list the peers yet.)
            let published = await eventually { () -> StatusReply? in
                let status = try control.status()
                return status.peers.isEmpty ? nil : status
            }
            let status = try #require(published, "/status should list the peer")
            #expect(status.state == "waiting_for_peers")
            #expect(status.vmId == 2 && status.totalVms == 2)
            #expect(status.peers.map(\.id) == [1])
            #expect(status.peers.first?.connected == false)
            #expect(status.measuredTickRate == 0)
            let ready = try control.get("/readyz")
            #expect(ready.status == 503)
            #expect(try ready.object()["ready"] as? Bool == false)
            #expect(try ready.object()["state"] as? String == "waiting_for_peers")
            #expect(try ready.object()["total_peers"] as? Int == 1)
            #expect(try ready.object()["connected_peers"] as? Int == 0)
            #expect(try control.get("/livez").status == 200)
            let clock = try control.clock()
            #expect(clock == 0)
        }

        @Test("GET /log of a VM restarted on its LOG_DIR serves the earlier run's lines from the file")
        func logAfterRestart() async throws {
            let workspace = try TestWorkspace()
            defer { workspace.cleanUp() }
            let setup = try Self.environment(workspace, ["TICK_RATE": "200"])
            let path = workspace.path("logs/vm1.jsonl")
            let first = try workspace.start("first", environment: setup.environment)
            let control = ControlClient(port: setup.controlPort)
            let grown = await poll { !first.isRunning || ((try? control.status().lastSeq) ?? 0) >= 150 }
            try #require(grown && first.isRunning, "\(describe([first]))")
            #expect(await stopAll([first]) == [.code(0)], "\(describe([first]))")
            let firstRun = logFileLines(path).count

            let second = try workspace.start("second", environment: setup.environment)
            let resumed = await poll {
                !second.isRunning || ((try? control.status().lastSeq) ?? 0) > firstRun + 20
            }
            try #require(resumed && second.isRunning, "\(describe([second]))")
            for (after, limit) in [(0, 1000), (firstRun - 5, 10), (firstRun + 1, 5)] {
                let reply = try control.get("/log?after=\(after)&limit=\(limit)")
                try #require(reply.status == 200, "\(reply)")
                let page = try LogPage(reply)
                let lines = logFileLines(path)
                let count = page.seqs.count
                #expect(count == min(limit, lines.count - after) || count < limit, "after=\(after)")
                #expect(page.seqs == Array((after + 1)..<(after + 1 + count)), "after=\(after)")
                let expected =
                    #"{"events":["# + lines[after..<(after + count)].joined(separator: ",") + #"],"next":"#
                    + String(after + count) + "}"
                #expect(reply.text == expected, "after=\(after): the page differs from the file")
            }
            #expect(await stopAll([second]) == [.code(0)])
        }
    }
}

/// This machine's addresses.
enum NetworkAddresses {
    /// An IPv4 address of an interface that is up and not loopback, if there is one.
    static let nonLoopbackIPv4: String? = {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0
            else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            let found = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                var raw = inet.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil
            }
            if found { return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        }
        return nil
    }()
}
