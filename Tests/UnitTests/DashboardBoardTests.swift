import JSONText
import LamportCore
import Testing

@testable import Dashboard
@testable import Orchestration

/// `DashboardBoard`: what `GET /api/state` answers from the polls it was given.
@Suite struct DashboardBoardTests {
    let urls = [ControlURL(host: "127.0.0.1", port: 7001), ControlURL(host: "127.0.0.1", port: 7002)]
    let time = WallTime(microseconds: 1_780_000_000_000_000)

    func line(_ vm: Int, _ seq: Int) -> [UInt8] {
        Array(#"{"seq":\#(seq),"vm":\#(vm),"type":"internal","clock":\#(seq)}"#.utf8)
    }

    func status(_ vm: Int) -> [UInt8] {
        Array(#"{"vm_id":\#(vm),"state":"running","clock":5}"#.utf8)
    }

    func state(_ board: DashboardBoard, after: Int = 0, limit: Int = 100) throws -> JSONValue {
        try JSONBodyParser().parse(board.stateJSON(after: after, limit: limit, now: time))
    }

    func count(_ value: JSONValue?) -> Int {
        guard case .array(let items)? = value else { return -1 }
        return items.count
    }

    @Test("VMs that never answered are listed as unreachable, with their URL and no status")
    func beforeAnyPoll() throws {
        let board = DashboardBoard(urls: urls)
        let value = try state(board)
        guard case .array(let vms)? = value["vms"] else { Issue.record("no vms array"); return }
        #expect(vms.count == 2)
        #expect(vms[0]["url"] == .string("http://127.0.0.1:7001"))
        #expect(vms[0]["reachable"] == .bool(false))
        #expect(vms[0]["status"] == .null)
        #expect(vms[0]["vm_id"] == .null)
        #expect(value["next"] == .number(0))
    }

    @Test("answers carry the VM's status as it wrote it; a failed poll marks it unreachable with the reason")
    func answersAndFailures() throws {
        let board = DashboardBoard(urls: urls)
        board.record(
            .answered(status: status(1), vmID: 1, lines: [line(1, 1)], logCursor: 1), index: 0, generation: 1, at: time)
        board.record(.failed("cannot connect to 127.0.0.1:7002: Connection refused"), index: 1, generation: 1, at: time)
        let value = try state(board)
        guard case .array(let vms)? = value["vms"] else { Issue.record("no vms array"); return }
        #expect(vms[0]["reachable"] == .bool(true))
        #expect(vms[0]["vm_id"] == .number(1))
        #expect(vms[0]["status"]?["state"] == .string("running"))
        #expect(vms[1]["reachable"] == .bool(false))
        #expect(vms[1]["error"] == .string("cannot connect to 127.0.0.1:7002: Connection refused"))
        #expect(board.url(ofVM: 1) == urls[0])
        #expect(board.url(ofVM: 2) == nil)
    }

    @Test("the cursor returns only newer lines; a limit keeps the newest and says how many were skipped")
    func cursorAndLimit() throws {
        let board = DashboardBoard(urls: urls)
        board.record(
            .answered(status: status(1), vmID: 1, lines: (1...5).map { line(1, $0) }, logCursor: 5), index: 0,
            generation: 1, at: time)
        let all = try state(board)
        #expect(count(all["events"]) == 5)
        #expect(all["next"] == .number(5))
        let newer = try state(board, after: 3)
        #expect(count(newer["events"]) == 2)
        guard case .array(let events)? = newer["events"] else { return }
        #expect(events.first?["seq"] == .number(4))
        let limited = try state(board, after: 0, limit: 2)
        #expect(count(limited["events"]) == 2)
        #expect(limited["skipped"] == .number(3))
        guard case .array(let newest)? = limited["events"] else { return }
        #expect(newest.last?["seq"] == .number(5))
        #expect(try state(board, after: 5)["events"] == .array([]))
    }

    @Test("at most eventCapacity lines are kept, the oldest dropped first")
    func capacity() throws {
        let board = DashboardBoard(urls: urls, eventCapacity: 3)
        board.record(
            .answered(status: status(1), vmID: 1, lines: (1...5).map { line(1, $0) }, logCursor: 5), index: 0,
            generation: 1, at: time)
        let value = try state(board)
        #expect(count(value["events"]) == 3)
        #expect(value["first"] == .number(3))
        #expect(value["skipped"] == .number(2))
    }

    @Test("new VMs start a new generation; answers of the old ones still in flight are dropped")
    func replace() throws {
        let board = DashboardBoard(urls: urls)
        board.replace(urls: [ControlURL(host: "10.0.0.9", port: 6001)])
        board.record(
            .answered(status: status(1), vmID: 1, lines: [line(1, 1)], logCursor: 1), index: 0, generation: 1, at: time)
        let value = try state(board)
        #expect(value["generation"] == .number(2))
        #expect(count(value["vms"]) == 1)
        #expect(count(value["events"]) == 0)
        guard case .array(let vms)? = value["vms"] else { return }
        #expect(vms[0]["reachable"] == .bool(false))
        #expect(vms[0]["url"] == .string("http://10.0.0.9:6001"))
    }
}

/// `--dashboard [PORT]`: the value may be left out.
@Suite struct DashboardOptionTests {
    @Test("--dashboard without a value gets the default port; with one, or as --dashboard=P, it is left alone")
    func normalized() {
        let port = String(DashboardOption.defaultPort)
        #expect(DashboardOption.normalized(["cluster", "--dashboard"]) == ["cluster", "--dashboard", port])
        #expect(
            DashboardOption.normalized(["cluster", "--dashboard", "--vms", "3"])
                == ["cluster", "--dashboard", port, "--vms", "3"])
        #expect(DashboardOption.normalized(["cluster", "--dashboard", "0"]) == ["cluster", "--dashboard", "0"])
        #expect(DashboardOption.normalized(["cluster", "--dashboard=9000"]) == ["cluster", "--dashboard=9000"])
        #expect(DashboardOption.normalized(["run", "--port", "5000"]) == ["run", "--port", "5000"])
    }

    @Test("a port is 0 to 65535")
    func port() {
        #expect(DashboardOption.port("0") == 0)
        #expect(DashboardOption.port("65535") == 65535)
        for bad in ["-1", "65536", "http", "", "80 "] { #expect(DashboardOption.port(bad) == nil, "\(bad)") }
    }
}
