import EventLog
import JSONText
import LamportCore
import MicroHTTP
import NIOCore
import Settings

/// The control plane's routes (openapi.yaml is their contract): turns requests into responses
/// from the VM's published snapshot, its recent log, and config changes handed to its loop.
///
/// It never touches the VM's state: reads go to the `SnapshotBoard`, writes go through
/// `applyChange`, which runs on the VM's event loop.
public final class ControlPlane: Sendable {
    public let settings: VMSettings
    public let board: SnapshotBoard
    public let recentLog: RecentLog
    public let metrics: VMMetrics
    /// Applies a change on the VM's loop and returns the new tuning; nil once the VM has stopped.
    public let applyChange: @Sendable (ConfigChange) -> VMTuning?
    /// Runs a fault command on the VM's loop and returns its reply; nil once the VM is stopping.
    public let applyFault: @Sendable (FaultCommand) -> FaultReply?
    /// CONTROL_TOKEN, when set: writes must carry it.
    private let token: BearerToken?

    public init(
        settings: VMSettings, board: SnapshotBoard, recentLog: RecentLog, metrics: VMMetrics,
        applyChange: @escaping @Sendable (ConfigChange) -> VMTuning?,
        applyFault: @escaping @Sendable (FaultCommand) -> FaultReply? = { _ in nil }
    ) {
        self.applyFault = applyFault
        self.settings = settings
        self.board = board
        self.recentLog = recentLog
        self.metrics = metrics
        self.applyChange = applyChange
        self.token = settings.controlToken.map(BearerToken.init)
    }

    /// The methods each path answers.
    static let routes: [String: [String]] = [
        "/status": ["GET"], "/clock": ["GET"], "/log": ["GET"], "/config": ["GET", "PUT", "PATCH"],
        "/metrics": ["GET"], "/livez": ["GET"], "/readyz": ["GET"], "/faults": ["GET", "POST", "DELETE"],
    ]

    /// The methods `/faults/{id}` answers.
    static let faultMethods = ["DELETE"]

    /// Methods that change something, and so need the token when CONTROL_TOKEN is set.
    static let writeMethods: Set<String> = ["PUT", "PATCH", "POST", "DELETE"]
    static let jsonHeaders = [HTTPHeader("Content-Type", "application/json")]

    /// Largest `limit` of `GET /log`.
    public static let maximumLogLimit = 1000

    /// Answers one request as openapi.yaml specifies; this is the `HTTPServer.Handler`. Reads
    /// answer from the latest published snapshot and never wait for the VM; a `PUT` or `PATCH
    /// /config` waits until the VM's loop has applied the change (503 once it is stopping).
    ///
    /// The checks run in this order: an unknown path is 404; then, with CONTROL_TOKEN set, any
    /// write method without the token is 401 (even on a path that does not take it); then a
    /// method the path does not answer is 405 with an `Allow` header. Every error body is
    /// `{"error": "..."}` with a message naming what to fix.
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        // The hot path first: scripts and dashboards poll the clock.
        if request.path == "/clock" && request.method == "GET" { return clock() }
        let faultID = Self.faultID(in: request.path)
        guard let methods = faultID != nil ? Self.faultMethods : Self.routes[request.path] else {
            return .error(404, "no such path \(request.path); see openapi.yaml for the endpoints")
        }
        if let token, Self.writeMethods.contains(request.method), !token.isCarried(by: request.headers["authorization"])
        {
            return .error(
                401, "this VM needs 'Authorization: Bearer <CONTROL_TOKEN>' for changes",
                headers: [HTTPHeader("WWW-Authenticate", "Bearer")])
        }
        guard methods.contains(request.method) else {
            return .error(
                405, "\(request.method) is not allowed on \(request.path); allowed: \(methods.joined(separator: ", "))",
                headers: [HTTPHeader("Allow", methods.joined(separator: ", "))])
        }
        switch (request.method, request.path) {
        case ("GET", "/clock"): return clock()
        case ("GET", "/status"): return status()
        case ("GET", "/log"): return log(request)
        case ("GET", "/config"): return config(board.latest.tuning)
        case (_, "/config"): return changeConfig(request)
        case ("GET", "/metrics"):
            let snapshot = board.latest
            return HTTPResponse(
                status: 200, headers: [HTTPHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                body: metrics.render(snapshot, uptimeSeconds: uptime(snapshot)))
        case ("GET", "/faults"): return listFaults()
        case ("POST", "/faults"): return addFault(request)
        case ("DELETE", "/faults"): return removeFaults(.removeAll)
        case ("DELETE", _) where faultID != nil: return removeFaults(.remove(id: faultID ?? 0))
        case ("GET", "/livez"): return .json(200, #"{"status":"alive"}"#)
        default: return readiness()
        }
    }

    private func clock() -> HTTPResponse {
        let (vm, clock) = board.read { ($0.vmID, $0.clock) }
        var writer = JSONObjectWriter()
        writer.field("vm_id", vm)
        writer.field("clock", clock)
        return HTTPResponse(
            status: 200, headers: Self.jsonHeaders, body: writer.finished())
    }

    private func status() -> HTTPResponse {
        let snapshot = board.latest
        var events = JSONObjectWriter()
        events.field("internal", snapshot.internalEvents)
        events.field("send", snapshot.sendEvents)
        events.field("receive", snapshot.receiveEvents)
        let peers = snapshot.peers.map { peer -> [UInt8] in
            var writer = JSONObjectWriter()
            writer.field("id", peer.id)
            writer.field("address", peer.address)
            writer.field("connected", peer.connected)
            writer.field("sent", peer.sent)
            writer.field("received", peer.received)
            writer.field("dropped", peer.dropped)
            return writer.finished()
        }
        var writer = JSONObjectWriter()
        writer.field("vm_id", snapshot.vmID)
        writer.field("state", snapshot.state.rawValue)
        writer.field("clock", snapshot.clock)
        writer.field("queue_length", snapshot.queueLength)
        writer.field("tick_rate", snapshot.tuning.tickRate)
        writer.field("measured_tick_rate", (snapshot.measuredTickRate * 1000).rounded() / 1000)
        writer.field("max_action", snapshot.tuning.maxAction)
        writer.field("paused", snapshot.tuning.paused)
        writer.field("events", raw: events.finished())
        writer.field("peers", raw: peers.jsonArray())
        writer.field("total_vms", snapshot.totalVMs)
        writer.field("last_seq", snapshot.lastSeq)
        writer.field("uptime_s", (uptime(snapshot) * 1000).rounded() / 1000)
        return HTTPResponse(
            status: 200, headers: Self.jsonHeaders, body: writer.finished())
    }

    private func log(_ request: HTTPRequest) -> HTTPResponse {
        var after = 0
        var limit = 100
        if let text = request.query["after"] {
            guard let value = Int(text), value >= 0 else {
                return .error(400, "after: expected a seq, an integer >= 0; got '\(text)'")
            }
            after = value
        }
        if let text = request.query["limit"] {
            guard let value = Int(text), (1...Self.maximumLogLimit).contains(value) else {
                return .error(400, "limit: expected an integer 1-\(Self.maximumLogLimit); got '\(text)'")
            }
            limit = value
        }
        let lines = recentLog.lines(after: after, limit: limit)
        var body: [UInt8] = Array(#"{"events":["#.utf8)
        var next = after
        for (index, line) in lines.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: line)
            next = LogLineScanner.int(.seq, in: line) ?? next
        }
        body.append(contentsOf: #"],"next":"#.utf8)
        JSONBytes.appendInt(next, to: &body)
        body.append(UInt8(ascii: "}"))
        return HTTPResponse(status: 200, headers: Self.jsonHeaders, body: body)
    }

    private func config(_ tuning: VMTuning) -> HTTPResponse {
        var peers = JSONObjectWriter()
        for peer in settings.peers { peers.field(String(peer.id), peer.description) }
        var writer = JSONObjectWriter()
        writer.field("vm_id", settings.vmID)
        writer.field("tick_rate", tuning.tickRate)
        writer.field("max_action", tuning.maxAction)
        writer.field("paused", tuning.paused)
        writer.field("total_vms", settings.totalVMs)
        writer.field("seed", Int(settings.seed))
        writer.field("run_time_s", settings.runTime)
        writer.field("port", settings.port)
        writer.field("peers", raw: peers.finished())
        writer.field("log_dir", settings.logDirectory)
        return HTTPResponse(
            status: 200, headers: Self.jsonHeaders, body: writer.finished())
    }

    private func changeConfig(_ request: HTTPRequest) -> HTTPResponse {
        if request.bodyTooLarge {
            return .error(413, "the body is larger than the limit of 64 KiB")
        }
        let contentType = request.headers["content-type"]?.split(separator: ";").first
            .map { $0.trimmingSpaces().lowercased() }
        guard contentType == "application/json" else {
            return .error(415, "send the settings as JSON with 'Content-Type: application/json'")
        }
        let change: ConfigChange
        do {
            change = try ConfigChange.parse(
                request.body,
                minimumMaxAction: ActionPolicy.minimumMaxAction(neighbourCount: settings.neighbourIDs.count))
        } catch {
            return .error(400, error.message)
        }
        guard let tuning = applyChange(change) else {
            return .error(503, "the VM is stopping; its config can no longer change")
        }
        return config(tuning)
    }

    // MARK: Faults

    /// The id of a `/faults/{id}` path: `/faults/` then a whole number (1 to 18 digits); nil for
    /// any other path. A path like `/faults/x` is then an unknown path (404), like `/faults/99`
    /// for an id no fault has.
    static func faultID(in path: String) -> Int? {
        let prefix = "/faults/"
        guard path.hasPrefix(prefix) else { return nil }
        let digits = path.utf8.dropFirst(prefix.utf8.count)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(Substring(digits))
    }

    private func listFaults() -> HTTPResponse {
        let faults = board.read(\.faults)
        let peers = settings.neighbourIDs
        var writer = JSONObjectWriter()
        writer.field("faults", raw: faults.map { $0.json(allPeers: peers) }.jsonArray())
        return HTTPResponse(status: 200, headers: Self.jsonHeaders, body: writer.finished())
    }

    private func addFault(_ request: HTTPRequest) -> HTTPResponse {
        if request.bodyTooLarge {
            return .error(413, "the body is larger than the limit of 64 KiB")
        }
        let contentType = request.headers["content-type"]?.split(separator: ";").first
            .map { $0.trimmingSpaces().lowercased() }
        guard contentType == "application/json" else {
            return .error(415, "send the fault as JSON with 'Content-Type: application/json'")
        }
        let fault: FaultRequest
        do {
            fault = try FaultRequest.parse(request.body)
        } catch {
            return .error(400, error.message)
        }
        switch applyFault(.add(fault)) {
        case .added(let started)?:
            return HTTPResponse(
                status: 201, headers: Self.jsonHeaders, body: started.json(allPeers: settings.neighbourIDs))
        case .rejected(let problem)?:
            return .error(400, problem.description)
        case .removed?, .unknownID?, nil:
            return .error(503, "the VM is stopping; its faults can no longer change")
        }
    }

    private func removeFaults(_ command: FaultCommand) -> HTTPResponse {
        switch applyFault(command) {
        case .removed?:
            return HTTPResponse(status: 204, headers: [], body: [])
        case .unknownID?:
            return .error(404, "no active fault has this id; GET /faults lists them")
        case .added?, .rejected?, nil:
            return .error(503, "the VM is stopping; its faults can no longer change")
        }
    }

    private func readiness() -> HTTPResponse {
        let snapshot = board.latest
        var writer = JSONObjectWriter()
        writer.field("ready", snapshot.isReady)
        writer.field("state", snapshot.state.rawValue)
        writer.field("connected_peers", snapshot.peers.filter(\.connected).count)
        writer.field("total_peers", snapshot.peers.count)
        return HTTPResponse(
            status: snapshot.isReady ? 200 : 503, headers: [HTTPHeader("Content-Type", "application/json")],
            body: writer.finished())
    }

    private func uptime(_ snapshot: VMSnapshot) -> Double {
        Double(NIODeadline.now().uptimeNanoseconds - snapshot.startedAt) / 1e9
    }
}
