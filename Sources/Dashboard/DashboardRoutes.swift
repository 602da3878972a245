import EventLog
import JSONText
import LamportCore
import MicroHTTP
import Orchestration

/// The dashboard's HTTP routes: the page, `GET /api/state`, and `/api/vms/{id}/...`, which pass
/// changes on to that VM's control plane (docs/dashboard.md). Pure routing: the board is read,
/// and forwarding is the `forward` closure, so tests run it without sockets.
public struct DashboardRoutes: Sendable {
    public typealias Forward = @Sendable (ControlURL, ForwardedRequest) -> ForwardOutcome

    /// Most lines one `GET /api/state` returns.
    public static let maximumEventsPerAnswer = 5000

    let board: DashboardBoard
    let forward: Forward
    let now: @Sendable () -> WallTime

    public init(
        board: DashboardBoard, now: @escaping @Sendable () -> WallTime = WallTime.now, forward: @escaping Forward
    ) {
        self.board = board
        self.now = now
        self.forward = forward
    }

    /// The answer to one request; never throws, bad requests get 4xx `{"error": ...}`.
    public func respond(_ request: HTTPRequest) -> HTTPResponse {
        if let asset = DashboardAssets.asset(at: request.path) {
            guard request.method == "GET" || request.method == "HEAD" else { return methodNotAllowed("GET") }
            return HTTPResponse(status: 200, headers: asset.headers, body: asset.body)
        }
        if request.path == "/api/state" {
            guard request.method == "GET" || request.method == "HEAD" else { return methodNotAllowed("GET") }
            return state(request)
        }
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0].isEmpty, parts[1] == "api", parts[2] == "vms" else {
            return .error(
                404, "no such page: \(request.path) (the dashboard serves /, /api/state and /api/vms/{id}/...)")
        }
        guard let vmID = Int(parts[3]), vmID > 0 else {
            return .error(404, "'\(parts[3])' is not a VM id (a positive integer)")
        }
        let rest = "/" + parts[4...].joined(separator: "/")
        switch (request.method, rest) {
        case ("GET", "/config"), ("PATCH", "/config"), ("PUT", "/config"), ("GET", "/faults"), ("POST", "/faults"),
            ("DELETE", "/faults"):
            break
        case ("DELETE", _)
        where parts.count == 6 && parts[4] == "faults" && !parts[5].isEmpty
            && parts[5].allSatisfy { ("0"..."9").contains($0) }:
            // Fault ids are numbers; nothing else is put into the path sent to the VM.
            break
        case (_, "/config"): return methodNotAllowed("GET, PATCH, PUT")
        case (_, "/faults"): return methodNotAllowed("GET, POST, DELETE")
        default:
            return .error(404, "no such page: \(request.path) (a VM's /config, /faults or /faults/{id})")
        }
        return pass(request, vmID: vmID, path: rest)
    }

    private func state(_ request: HTTPRequest) -> HTTPResponse {
        var after = 0
        if let text = request.query["after"] {
            guard let value = Int(text), value >= 0 else {
                return .error(400, "after must be a cursor from an earlier answer's next (an integer >= 0)")
            }
            after = value
        }
        var limit = Self.maximumEventsPerAnswer
        if let text = request.query["limit"] {
            guard let value = Int(text), (0...Self.maximumEventsPerAnswer).contains(value) else {
                return .error(400, "limit must be an integer from 0 to \(Self.maximumEventsPerAnswer)")
            }
            limit = value
        }
        let body = board.stateJSON(after: after, limit: limit, now: now())
        return HTTPResponse(status: 200, headers: DashboardAssets.jsonHeaders, body: body)
    }

    private func pass(_ request: HTTPRequest, vmID: Int, path: String) -> HTTPResponse {
        var body: [UInt8]?
        if request.method == "PATCH" || request.method == "PUT" || request.method == "POST" {
            guard !request.bodyTooLarge else { return .error(413, "the body is too large") }
            // Only JSON: a browser sends that content type cross-site only after a preflight,
            // which this server does not grant, so other sites' pages cannot steer the VMs.
            let type = request.headers["content-type"]?.lowercased() ?? ""
            guard type.hasPrefix("application/json") else {
                return .error(415, "send the body as Content-Type: application/json")
            }
            do {
                _ = try JSONBodyParser().parse(request.body)
            } catch {
                return .error(400, "the body is not JSON: \(error)")
            }
            body = request.body
        }
        guard let url = board.url(ofVM: vmID) else {
            return .error(404, "no VM with id \(vmID) has answered this dashboard")
        }
        let outcome = forward(
            url,
            ForwardedRequest(
                vmID: vmID, method: request.method, path: path, body: body,
                authorization: request.headers["authorization"]))
        switch outcome {
        case .answered(let status, let body):
            // A 401 keeps its JSON but not the VM's WWW-Authenticate: the page asks for the token.
            return HTTPResponse(status: status, headers: body.isEmpty ? [] : DashboardAssets.jsonHeaders, body: body)
        case .failed(let problem):
            return .error(502, "vm\(vmID) at \(url) did not answer: \(problem)")
        }
    }

    private func methodNotAllowed(_ allowed: String) -> HTTPResponse {
        .error(405, "method not allowed here; use \(allowed)", headers: [HTTPHeader("Allow", allowed)])
    }
}
