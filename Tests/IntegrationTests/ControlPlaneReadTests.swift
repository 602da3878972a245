import Foundation
import Testing

@testable import Orchestration

/// The HTTP control plane of running `vmserver` processes, over real HTTP on 127.0.0.1. The nested
/// suites run one after another, each in its own cluster.
@Suite(.serialized)
enum ControlPlaneTests {}

extension ControlPlaneTests {
    /// The read-only endpoints of a 3-VM cluster: /status, /clock, /livez, /readyz, /log, /metrics.
    @Suite(.controlCluster(rates: [20, 50, 100]))
    struct Reads {
        @Test("GET /status has every documented field with its type; peers are the other two VMs, connected")
        func status() async throws {
            let cluster = try ControlCluster.require()
            for vm in 1...3 {
                let control = cluster.control(vm)
                let reply = try control.get("/status")
                #expect(reply.status == 200)
                #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
                let status = try reply.decode(StatusReply.self)
                let keys = Set(try reply.object().keys)
                let documented: Set = [
                    "vm_id", "state", "clock", "queue_length", "tick_rate", "measured_tick_rate", "max_action",
                    "paused", "events", "peers", "total_vms", "last_seq", "uptime_s",
                ]
                #expect(documented.isSubset(of: keys), "missing: \(documented.subtracting(keys))")
                #expect(status.vmId == vm)
                #expect(status.state == "running")
                #expect(status.tickRate == .number(Double(cluster.rates[vm - 1])))
                #expect(status.maxAction == 10)
                #expect(status.paused == false)
                #expect(status.totalVms == 3)
                #expect(status.clock >= 0 && status.queueLength >= 0 && status.measuredTickRate >= 0)
                #expect(status.lastSeq > 0)
                #expect(status.uptimeS > 0)
                let events = status.events
                #expect(events.internal >= 0 && events.send >= 0 && events.receive >= 0)
                #expect(events.internal + events.send + events.receive < status.lastSeq, "lifecycle lines come too")
                #expect(status.peers.map(\.id) == [1, 2, 3].filter { $0 != vm })
                for peer in status.peers {
                    #expect(peer.connected, "VM \(vm)'s peer \(peer.id)")
                    #expect(peer.address?.contains("127.0.0.1") == true, "address \(String(describing: peer.address))")
                    #expect(peer.sent >= 0 && peer.received >= 0 && peer.dropped == 0)
                }
                let objects = try #require(try reply.object()["peers"] as? [[String: Any]])
                for object in objects {
                    let keys = Set(object.keys)
                    #expect(keys.isSuperset(of: ["id", "address", "connected", "sent", "received", "dropped"]))
                }
                // The VM keeps running: a later answer shows more uptime and a clock no lower.
                let later = await eventually { () -> StatusReply? in
                    let next = try control.status()
                    return next.uptimeS > status.uptimeS && next.lastSeq > status.lastSeq ? next : nil
                }
                #expect(later != nil, "VM \(vm): uptime_s and last_seq should rise")
                #expect((later?.clock ?? .max) >= status.clock)
            }
        }

        @Test("GET /clock answers vm_id and clock, and the clock rises")
        func clock() async throws {
            let cluster = try ControlCluster.require()
            for vm in 1...3 {
                let control = cluster.control(vm)
                let reply = try control.get("/clock")
                #expect(reply.status == 200)
                #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
                #expect(Set(try reply.object().keys) == ["vm_id", "clock"])
                let first = try reply.decode(ClockReply.self)
                #expect(first.vmId == vm)
                let rose = await poll { ((try? control.clock()) ?? 0) > first.clock }
                #expect(rose, "VM \(vm)'s clock should rise above \(first.clock)")
            }
        }

        @Test("GET /livez and /readyz answer 200 while the VMs run")
        func liveAndReady() throws {
            let cluster = try ControlCluster.require()
            for vm in 1...3 {
                let control = cluster.control(vm)
                let live = try control.get("/livez")
                #expect(live.status == 200)
                #expect(try live.object()["status"] as? String == "alive")
                let ready = try control.get("/readyz")
                #expect(ready.status == 200)
                let object = try ready.object()
                #expect(object["ready"] as? Bool == true)
                #expect(object["state"] as? String == "running")
                #expect(object["connected_peers"] as? Int == 2)
                #expect(object["total_peers"] as? Int == 2)
            }
        }

        @Test("GET /log?after=0&limit=5 answers seq 1-5 and next 5; pages continue without gaps or repeats")
        func logPages() async throws {
            let cluster = try ControlCluster.require()
            let control = cluster.control(2)
            let enough = await poll { ((try? control.status().lastSeq) ?? 0) >= 70 }
            try #require(enough, "VM 2 should log 70 lines")

            let first = try control.get("/log?after=0&limit=5")
            #expect(first.status == 200)
            #expect(first.header("Content-Type")?.hasPrefix("application/json") == true)
            let page = try LogPage(first)
            #expect(page.seqs == [1, 2, 3, 4, 5])
            #expect(page.next == 5)
            #expect(page.events.allSatisfy { $0["vm"] as? Int == 2 })

            var seqs = page.seqs
            var next = page.next
            for _ in 0..<8 {
                let reply = try control.get("/log?after=\(next)&limit=7")
                #expect(reply.status == 200)
                let page = try LogPage(reply)
                #expect(page.seqs.count == 7)
                #expect(page.next == page.seqs.last)
                seqs += page.seqs
                next = page.next
            }
            #expect(seqs == Array(1...61))

            // Without a limit: up to 100 lines. Past the end: no lines, and next stays where it was.
            let unlimited = try LogPage(try control.get("/log?after=0"))
            #expect(unlimited.seqs.first == 1)
            #expect(unlimited.seqs == Array(1...unlimited.seqs.count))
            #expect(unlimited.seqs.count <= 100)
            let past = try LogPage(try control.get("/log?after=100000000&limit=10"))
            #expect(past.events.isEmpty)
            #expect(past.next == 100_000_000)
        }

        @Test(
            "GET /log pages are the log file's lines byte for byte, also old lines no longer in memory",
            .timeLimit(.minutes(1)))
        func logMatchesFile() async throws {
            let cluster = try ControlCluster.require()
            let vm = 3
            let control = cluster.control(vm)
            // Fast, and rarely sending (so the peers' queues stay short), until the log holds far
            // more lines than the memory ring (about 10,000).
            let fast = try control.change(#"{"tick_rate": 5000, "max_action": 100000}"#)
            try #require(fast.status == 200, "\(fast)")
            let grown = await poll(timeout: .seconds(40)) { ((try? control.status().lastSeq) ?? 0) >= 14_000 }
            let back = try control.change(#"{"tick_rate": \#(cluster.rates[vm - 1]), "max_action": 10}"#)
            #expect(back.status == 200, "\(back)")
            try #require(grown, "VM \(vm) should log 14,000 lines at 5000 ticks/s")
            let lastSeq = try control.status().lastSeq

            // The oldest lines (only in the file), pages at the sparse index's boundaries, then
            // every line in pages of 1000 up to the newest (from memory).
            let path = cluster.logPath(vm)
            try expectPage(control, after: 0, limit: 1000, lastSeq: lastSeq, path: path)
            for after in [4090, 4095, 4096, 8191, 12_287] {
                try expectPage(control, after: after, limit: 10, lastSeq: lastSeq, path: path)
            }
            var after = 0
            var seen = 0
            while after < lastSeq {
                let page = try expectPage(control, after: after, limit: 1000, lastSeq: lastSeq, path: path)
                try #require(page.next > after, "no progress after \(after)")
                seen += page.seqs.count
                after = page.next
            }
            #expect(seen == after, "every line once")
        }

        /// Asks for one page and checks it is exactly the file's lines after `after` (a full page
        /// when the log held `lastSeq` lines before).
        @discardableResult
        func expectPage(_ control: ControlClient, after: Int, limit: Int, lastSeq: Int, path: String) throws -> LogPage
        {
            let reply = try control.get("/log?after=\(after)&limit=\(limit)")
            try #require(reply.status == 200, "\(reply)")
            let page = try LogPage(reply)
            let lines = logFileLines(path)
            try #require(!page.seqs.isEmpty, "after=\(after): no lines")
            #expect(page.seqs == Array((after + 1)...(after + page.seqs.count)), "after=\(after): seq in order")
            if after + limit <= lastSeq {
                #expect(page.seqs.count == limit, "after=\(after): a full page")
            }
            try #require(lines.count >= after + page.seqs.count, "the file lacks lines the page has")
            let expected =
                #"{"events":["# + lines[after..<(after + page.seqs.count)].joined(separator: ",") + #"],"next":"#
                + String(after + page.seqs.count) + "}"
            #expect(reply.text == expected, "after=\(after), limit=\(limit): the page differs from the file's lines")
            return page
        }

        @Test("GET /metrics is Prometheus text with the VM's figures; counters never decrease")
        func metrics() async throws {
            // VM 3, the fastest (100 ticks/s), empties its queue and rolls sends; VM 1 (20 ticks/s)
            // may be kept busy with receives all along.
            let cluster = try ControlCluster.require()
            let control = cluster.control(3)
            let sending = await poll { ((try? control.status().peers.first { $0.id == 1 }?.sent) ?? 0) > 0 }
            try #require(sending, "VM 3 should send to VM 1")

            let first = try control.get("/metrics")
            #expect(first.status == 200)
            #expect(first.header("Content-Type")?.hasPrefix("text/plain") == true, "\(first.headers)")
            for name in [
                "vmserver_clock", "vmserver_queue_length", #"vmserver_events_total{type="send"}"#,
                #"vmserver_messages_sent_total{peer="1"}"#,
                "vmserver_tick_lateness_seconds_bucket",
            ] {
                #expect(first.text.contains(name), "\(name) missing from:\n\(first.text)")
            }
            let before = PrometheusSamples(first.text)
            let statusAfter = try control.status()
            #expect((before[#"vmserver_events_total{type="send"}"#] ?? .infinity) <= Double(statusAfter.events.send))
            #expect((before["vmserver_clock"] ?? .infinity) <= Double(statusAfter.clock))

            // A later scrape: every counter (and histogram count) at least as high, some higher.
            let rose = await poll {
                let text = (try? control.get("/metrics").text) ?? ""
                return PrometheusSamples(text).eventsTotal > before.eventsTotal
            }
            #expect(rose, "vmserver_events_total should rise")
            let after = PrometheusSamples(try control.get("/metrics").text)
            let counters = before.values.keys.filter {
                $0.contains("_total") || $0.contains("_bucket") || $0.contains("_count")
            }
            #expect(counters.count >= 10, "\(counters)")
            for key in counters {
                let old = before[key] ?? 0
                let new = after[key] ?? -1
                #expect(new >= old, "\(key) went from \(old) to \(new)")
            }
        }

        @Test("keep-alive: several requests on one connection are all answered")
        func keepAlive() throws {
            let cluster = try ControlCluster.require()
            let connection = try HTTPConnection.open(port: cluster.layout.controlPorts[0])
            defer { connection.close() }
            let keepAlive = [("Connection", "keep-alive")]
            let clock = try connection.request("GET", "/clock", headers: keepAlive)
            #expect(clock.status == 200)
            #expect(clock.header("Connection")?.lowercased() != "close")
            let missing = try connection.request("GET", "/nope", headers: keepAlive)
            #expect(missing.status == 404)
            let status = try connection.request("GET", "/status", headers: keepAlive)
            #expect(status.status == 200)
            #expect(try status.decode(StatusReply.self).vmId == 1)
            let change = try connection.request(
                "PATCH", "/config", headers: keepAlive + [("Content-Type", "application/json")], body: Array("{}".utf8))
            #expect(change.status == 200)
            let last = try connection.request("GET", "/clock", headers: [("Connection", "close")])
            #expect(last.status == 200)
        }
    }
}

/// A page of `GET /log`.
struct LogPage {
    var events: [[String: Any]]
    var next: Int

    init(_ reply: HTTPReply) throws {
        let object = try reply.object()
        guard let events = object["events"] as? [[String: Any]], let next = object["next"] as? Int,
            object.count == 2
        else { throw HTTPClientError("not a log page: \(reply)") }
        self.events = events
        self.next = next
    }

    var seqs: [Int] { events.map { $0["seq"] as? Int ?? -1 } }
}

/// The samples of a Prometheus text exposition, by `name{labels}`.
struct PrometheusSamples {
    var values: [String: Double] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let value = line[line.index(after: space)...]
            values[String(line[..<space])] = Double(value) ?? (value == "+Inf" ? .infinity : nil)
        }
    }

    subscript(key: String) -> Double? { values[key] }

    /// The sum of `vmserver_events_total` over its types.
    var eventsTotal: Double {
        values.filter { $0.key.hasPrefix("vmserver_events_total{") }.values.reduce(0, +)
    }
}
