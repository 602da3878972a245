import Foundation
import Testing

@testable import VMRuntime

extension ControlPlaneTests {
    /// GET /metrics as Prometheus users expect it, on a 2-VM cluster.
    @Suite(.controlCluster(rates: [50, 100]))
    struct Metrics {
        /// The families of an exposition: name -> (TYPE, HELP).
        static func families(_ text: String) -> [String: (type: String, help: String?)] {
            var families: [String: (type: String, help: String?)] = [:]
            var helps: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard parts.count >= 4, parts[0] == "#" else { continue }
                if parts[1] == "TYPE" { families[parts[2]] = (parts[3], nil) }
                if parts[1] == "HELP" { helps[parts[2]] = parts[3] }
            }
            for (name, help) in helps { families[name]?.help = help }
            return families
        }

        @Test("every name is prefixed vmserver_ and every family has HELP text")
        func namesAndHelp() throws {
            let cluster = try ControlCluster.require()
            for vm in 1...2 {
                let reply = try cluster.control(vm).get("/metrics")
                #expect(reply.status == 200)
                let families = Self.families(reply.text)
                #expect(families.count >= 17, "\(families.keys.sorted())")
                for (name, family) in families {
                    #expect(name.hasPrefix("vmserver_"), "\(name)")
                    #expect(family.help?.isEmpty == false, "\(name) has no HELP")
                }
                for line in reply.text.split(separator: "\n") where !line.hasPrefix("#") {
                    #expect(line.hasPrefix("vmserver_"), "\(line)")
                    #expect(!line.hasPrefix("vm_"), "\(line)")
                }
                let expected: [String: String] = [
                    "vmserver_info": "gauge", "vmserver_clock": "gauge", "vmserver_queue_length": "gauge",
                    "vmserver_tick_rate": "gauge", "vmserver_ready": "gauge", "vmserver_events_total": "counter",
                    "vmserver_messages_sent_total": "counter", "vmserver_messages_received_total": "counter",
                    "vmserver_messages_dropped_total": "counter", "vmserver_peer_connected": "gauge",
                    "vmserver_tick_lateness_seconds": "histogram", "vmserver_clock_jump": "histogram",
                ]
                for (name, type) in expected {
                    #expect(families[name]?.type == type, "VM \(vm): \(name)")
                }
            }
        }

        @Test("vmserver_info carries the VM's id and the version, value 1")
        func info() throws {
            let cluster = try ControlCluster.require()
            for vm in 1...2 {
                let samples = PrometheusSamples(try cluster.control(vm).get("/metrics").text)
                let info = samples.values.filter { $0.key.hasPrefix("vmserver_info{") }
                #expect(info == [#"vmserver_info{vm_id="\#(vm)",version="\#(VMServerVersion.current)"}"#: 1], "\(info)")
            }
        }

        @Test("vmserver_clock_jump counts every receive with its jump, as the analysis of the log does")
        func clockJumps() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(1)
            let received = await poll { ((try? control.status().events.receive) ?? 0) >= 20 }
            try #require(received, "VM 1 should receive messages")
            // Paused, VM 1 ticks no more (so receives no more): the log and the histogram settle.
            defer { _ = try? control.change(#"{"paused": false}"#) }
            try #require(try control.change(#"{"paused": true}"#).status == 200)

            let matched = await eventually { () -> Bool? in
                let samples = PrometheusSamples(try control.get("/metrics").text)
                // The jumps in the log: a receive's clock minus the clock of the line before, minus 1.
                var jumps: [Int] = []
                var previous = 0
                for line in logFileObjects(cluster.logPath(1)) {
                    let clock = line["clock"] as? Int ?? 0
                    if line["type"] as? String == "receive" { jumps.append(clock - previous - 1) }
                    previous = clock
                }
                guard samples["vmserver_clock_jump_count"] == Double(jumps.count),
                    samples["vmserver_clock_jump_sum"] == Double(jumps.reduce(0, +))
                else { return nil }
                for bound in VMMetrics.clockJumpBuckets {
                    let key = #"vmserver_clock_jump_bucket{le="\#(bound)"}"#
                    guard samples[key] == Double(jumps.filter { Double($0) <= bound }.count) else { return nil }
                }
                return jumps.allSatisfy { $0 >= 0 } ? true : nil
            }
            #expect(matched == true, "the histogram should match the receives in VM 1's log")
        }
    }
}
