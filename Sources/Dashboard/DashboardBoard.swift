import EventLog
import JSONText
import LamportCore
import Orchestration
import Synchronization

/// The dashboard's one piece of state: the VMs it watches, what each last answered, and the
/// recent log lines of all of them in the order they were read, each numbered with a cursor the
/// page passes back (`after`) to get only newer ones.
///
/// The poller writes it, the HTTP routes read it; all access goes through one lock. A change of
/// the VM list (a new experiment trial) starts a new `generation`: the old VMs' answers still in
/// flight are dropped, and the page starts its charts afresh.
public final class DashboardBoard: Sendable {
    /// Most lines kept; older ones are dropped first.
    public let eventCapacity: Int
    private let state: Mutex<State>

    struct State {
        var generation = 1
        var vms: [VMView] = []
        var events: [[UInt8]] = []
        /// The cursor of `events.last` (the first line ever read is 1).
        var lastCursor = 0
    }

    public init(urls: [ControlURL], eventCapacity: Int = 20_000) {
        self.eventCapacity = max(1, eventCapacity)
        state = Mutex(State(vms: urls.map(VMView.init)))
    }

    /// Watches these VMs from now on, forgetting the previous ones and their lines.
    public func replace(urls: [ControlURL]) {
        state.withLock { state in
            state.generation += 1
            state.vms = urls.map(VMView.init)
            state.events = []
        }
    }

    /// The VMs to poll, with the generation their answers belong to.
    public func pollTargets() -> (generation: Int, vms: [VMView]) {
        state.withLock { ($0.generation, $0.vms) }
    }

    /// Stores one poll's answer for the VM at `index`; ignored when the VM list has changed since.
    public func record(_ result: PollResult, index: Int, generation: Int, at time: WallTime) {
        state.withLock { state in
            guard state.generation == generation, state.vms.indices.contains(index) else { return }
            state.vms[index].polledAt = time.microseconds
            switch result {
            case .failed(let problem):
                state.vms[index].problem = problem
            case .answered(let status, let vmID, let lines, let logCursor):
                state.vms[index].problem = nil
                state.vms[index].status = status
                state.vms[index].vmID = vmID
                state.vms[index].logCursor = logCursor
                state.events.append(contentsOf: lines)
                state.lastCursor += lines.count
                if state.events.count > eventCapacity { state.events.removeFirst(state.events.count - eventCapacity) }
            }
        }
    }

    /// The control URL of the VM with this id (the first one, if two URLs reach the same VM).
    public func url(ofVM vmID: Int) -> ControlURL? {
        state.withLock { state in state.vms.first { $0.vmID == vmID }?.url }
    }

    /// The VMs as the dashboard knows them.
    public var vms: [VMView] { state.withLock { $0.vms } }

    /// `GET /api/state`: every VM (url, vm_id, reachable, error, polled_at_us, status) and the
    /// lines read after cursor `after`, at most `limit` of them (the newest, when there are more;
    /// `skipped` says how many were left out), with `next`, the cursor to pass next time.
    public func stateJSON(after: Int, limit: Int, now: WallTime) -> [UInt8] {
        state.withLock { state in
            let firstCursor = state.lastCursor - state.events.count + 1
            let wanted = max(0, state.lastCursor - max(after, 0))
            let available = min(wanted, state.events.count)
            let sent = min(available, max(0, limit))
            var object = JSONObjectWriter()
            object.field("generation", state.generation)
            object.field("now_us", Int(now.microseconds))
            object.field("vms", raw: state.vms.map(Self.json).jsonArray())
            object.field("events", raw: state.events.suffix(sent).jsonArray())
            object.field("skipped", wanted - sent)
            object.field("next", state.lastCursor)
            object.field("first", firstCursor)
            return object.finished()
        }
    }

    private static func json(_ vm: VMView) -> [UInt8] {
        var object = JSONObjectWriter()
        object.field("url", vm.url.description)
        if let vmID = vm.vmID { object.field("vm_id", vmID) } else { object.field("vm_id", raw: "null".utf8) }
        object.field("reachable", vm.reachable)
        object.field("error", vm.problem)
        object.field("polled_at_us", Int(vm.polledAt))
        object.field("status", raw: vm.status ?? Array("null".utf8))
        return object.finished()
    }
}
