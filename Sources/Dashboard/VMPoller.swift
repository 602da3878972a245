import EventLog
import JSONText
import LamportCore
import NIOCore
import Orchestration

/// Polls every VM of a `DashboardBoard` side by side, one round every `interval`: `GET /status`,
/// then the log lines written since the last round (`GET /log?after=`). The first round starts a
/// VM's lines `backlog` before its last one; a VM more than `maximumLag` lines ahead of the
/// cursor is caught up by skipping (the page is a live view, the run folder keeps everything).
public struct VMPoller: Sendable {
    public var interval: Duration
    public var backlog: Int
    public var maximumLag: Int
    private let client: ControlClient

    public init(
        interval: Duration = .milliseconds(500), backlog: Int = 200, maximumLag: Int = 1000,
        client: ControlClient = ControlClient(timeout: .seconds(2))
    ) {
        self.interval = interval
        self.backlog = backlog
        self.maximumLag = maximumLag
        self.client = client
    }

    /// Polls until the task is cancelled.
    public func run(_ board: DashboardBoard) async {
        while !Task.isCancelled {
            await round(board)
            try? await Task.sleep(for: interval)
        }
    }

    /// One round over every VM.
    public func round(_ board: DashboardBoard) async {
        let (generation, vms) = board.pollTargets()
        await withTaskGroup(of: Void.self) { group in
            for (index, vm) in vms.enumerated() {
                group.addTask {
                    let result = await poll(vm)
                    board.record(result, index: index, generation: generation, at: WallTime.now())
                }
            }
        }
    }

    /// One VM's status and new lines.
    public func poll(_ vm: VMView) async -> PollResult {
        let statusBody: [UInt8]
        do {
            statusBody = try await get(vm.url, "/status")
        } catch {
            return .failed("\(error)")
        }
        guard let status = try? JSONBodyParser().parse(statusBody),
            case .number(let id)? = status["vm_id"], let vmID = Int(exactly: id)
        else { return .failed("\(vm.url)/status is not a VM's status (is it a vmserver control plane?)") }
        var lastSeq = 0
        if case .number(let seq)? = status["last_seq"], let seq = Int(exactly: seq) { lastSeq = seq }
        var cursor = vm.vmID == vmID ? (vm.logCursor ?? max(0, lastSeq - backlog)) : max(0, lastSeq - backlog)
        if lastSeq - cursor > maximumLag || cursor > lastSeq { cursor = max(0, lastSeq - backlog) }
        do {
            let page = try LogPage.parse(try await get(vm.url, "/log?after=\(cursor)&limit=\(maximumLag)"))
            return .answered(status: statusBody, vmID: vmID, lines: page.lines.map(Array.init), logCursor: page.next)
        } catch let error as ControlClient.Failure {
            return .failed("\(error)")
        } catch let error as PollFailure {
            return .failed("\(error)")
        } catch {
            // The status is still worth showing when the log page is not readable.
            return .answered(status: statusBody, vmID: vmID, lines: [], logCursor: cursor)
        }
    }

    private func get(_ url: ControlURL, _ path: String) async throws -> [UInt8] {
        let response = try await client.request(.GET, host: url.host, port: url.port, path: path)
        guard response.status == 200 else {
            throw PollFailure(description: "GET \(path) answered \(response.status)")
        }
        return response.body
    }
}

/// A VM that answered a poll with something other than 200.
struct PollFailure: Error, CustomStringConvertible {
    var description: String
}
