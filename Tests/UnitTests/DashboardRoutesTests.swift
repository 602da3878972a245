import JSONText
import LamportCore
import MicroHTTP
import Synchronization
import Testing

@testable import Dashboard
@testable import Orchestration

/// `DashboardRoutes`: the page, `/api/state`, and requests passed on to a VM, with a fake forwarder.
@Suite struct DashboardRoutesTests {
    final class Recorder: Sendable {
        let forwarded = Mutex<[(ControlURL, ForwardedRequest)]>([])
        let outcome: ForwardOutcome

        init(_ outcome: ForwardOutcome = .answered(status: 200, body: Array(#"{"tick_rate":20}"#.utf8))) {
            self.outcome = outcome
        }

        var requests: [(ControlURL, ForwardedRequest)] { forwarded.withLock { $0 } }
    }

    let vm2 = ControlURL(host: "127.0.0.1", port: 7002)

    func routes(_ recorder: Recorder) -> DashboardRoutes {
        let board = DashboardBoard(urls: [vm2])
        board.record(
            .answered(status: Array(#"{"vm_id":2,"state":"running"}"#.utf8), vmID: 2, lines: [], logCursor: 0),
            index: 0, generation: 1, at: WallTime(microseconds: 0))
        return DashboardRoutes(board: board, now: { WallTime(microseconds: 5) }) { url, request in
            recorder.forwarded.withLock { $0.append((url, request)) }
            return recorder.outcome
        }
    }

    func json(_ method: String, _ path: String, _ body: String, type: String = "application/json") -> HTTPRequest {
        var headers = ["content-type": type]
        headers["authorization"] = "Bearer sesame"
        return HTTPRequest(method: method, path: path, headers: headers, body: Array(body.utf8))
    }

    func error(_ response: HTTPResponse) -> String? {
        guard case .string(let text)? = (try? JSONBodyParser().parse(response.body))?["error"] else { return nil }
        return text
    }

    @Test("the page, its script and style are served, with a policy that allows nothing from elsewhere")
    func page() {
        let recorder = Recorder()
        for (path, type) in [("/", "text/html"), ("/dashboard.js", "text/javascript"), ("/dashboard.css", "text/css")] {
            let response = routes(recorder).respond(HTTPRequest(method: "GET", path: path))
            #expect(response.status == 200, "\(path)")
            #expect(response.headers.contains { $0.name == "Content-Type" && $0.value.hasPrefix(type) }, "\(path)")
            #expect(response.headers.contains { $0.name == "Content-Security-Policy" && $0.value.contains("'self'") })
        }
        let html = String(decoding: routes(recorder).respond(HTTPRequest(method: "GET", path: "/")).body, as: UTF8.self)
        #expect(html.contains(#"<script src="/dashboard.js">"#))
        #expect(!html.contains("http://") && !html.contains("https://"), "the page loads nothing from elsewhere")
        #expect(routes(recorder).respond(HTTPRequest(method: "POST", path: "/")).status == 405)
    }

    @Test("GET /api/state answers JSON; a bad cursor or limit is 400 with an error")
    func state() throws {
        let recorder = Recorder()
        let good = routes(recorder).respond(HTTPRequest(method: "GET", path: "/api/state", query: ["after": "0"]))
        #expect(good.status == 200)
        let value = try JSONBodyParser().parse(good.body)
        #expect(value["now_us"] == .number(5))
        for query in [["after": "-1"], ["after": "x"], ["limit": "100000"], ["limit": "ten"]] {
            let bad = routes(recorder).respond(HTTPRequest(method: "GET", path: "/api/state", query: query))
            #expect(bad.status == 400, "\(query)")
            #expect(error(bad) != nil)
        }
        #expect(routes(recorder).respond(HTTPRequest(method: "DELETE", path: "/api/state")).status == 405)
    }

    @Test("a rate change goes to that VM's PATCH /config with the body and the token, and its answer comes back")
    func forwardConfig() {
        let recorder = Recorder()
        let response = routes(recorder).respond(json("PATCH", "/api/vms/2/config", #"{"tick_rate": 20}"#))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"tick_rate":20}"#)
        let sent = recorder.requests
        #expect(sent.count == 1)
        #expect(sent.first?.0 == vm2)
        #expect(
            sent.first?.1
                == ForwardedRequest(
                    vmID: 2, method: "PATCH", path: "/config", body: Array(#"{"tick_rate": 20}"#.utf8),
                    authorization: "Bearer sesame"))
    }

    @Test("faults are added, listed and healed through the VM's /faults")
    func forwardFaults() {
        let recorder = Recorder(.answered(status: 204, body: []))
        #expect(routes(recorder).respond(json("POST", "/api/vms/2/faults", #"{"kind":"partition"}"#)).status == 204)
        #expect(routes(recorder).respond(HTTPRequest(method: "GET", path: "/api/vms/2/faults")).status == 204)
        #expect(routes(recorder).respond(HTTPRequest(method: "DELETE", path: "/api/vms/2/faults/7")).status == 204)
        #expect(routes(recorder).respond(HTTPRequest(method: "DELETE", path: "/api/vms/2/faults")).status == 204)
        #expect(
            recorder.requests.map { "\($0.1.method) \($0.1.path)" } == [
                "POST /faults", "GET /faults", "DELETE /faults/7", "DELETE /faults",
            ])
    }

    @Test("a VM's refusal (401 without the token) reaches the page as the VM wrote it")
    func refusal() {
        let body = Array(#"{"error":"this VM needs a token"}"#.utf8)
        let recorder = Recorder(.answered(status: 401, body: body))
        let response = routes(recorder).respond(json("PATCH", "/api/vms/2/config", #"{"paused":true}"#))
        #expect(response.status == 401)
        #expect(response.body == body)
        #expect(!response.headers.contains { $0.name == "WWW-Authenticate" })
    }

    @Test("bad requests are 4xx with an error and reach no VM; a VM that does not answer is 502")
    func badRequests() {
        let recorder = Recorder()
        let cases: [(HTTPRequest, Int)] = [
            (HTTPRequest(method: "GET", path: "/nothing"), 404),
            (json("PATCH", "/api/vms/9/config", "{}"), 404),
            (json("PATCH", "/api/vms/two/config", "{}"), 404),
            (json("PATCH", "/api/vms/0/config", "{}"), 404),
            (json("PATCH", "/api/vms/2/clock", "{}"), 404),
            (HTTPRequest(method: "DELETE", path: "/api/vms/2/faults/1 HTTP/1.1\r\nX-A: b"), 404),
            (HTTPRequest(method: "DELETE", path: "/api/vms/2/faults/"), 404),
            (json("POST", "/api/vms/2/config", "{}"), 405),
            (json("PATCH", "/api/vms/2/faults", "{}"), 405),
            (json("PATCH", "/api/vms/2/config", "{", type: "application/json"), 400),
            (json("PATCH", "/api/vms/2/config", "{}", type: "text/plain"), 415),
            (HTTPRequest(method: "PATCH", path: "/api/vms/2/config", bodyTooLarge: true), 413),
        ]
        for (request, status) in cases {
            let response = routes(recorder).respond(request)
            #expect(response.status == status, "\(request.method) \(request.path)")
            #expect(error(response) != nil, "\(request.method) \(request.path)")
        }
        #expect(recorder.requests.isEmpty)
        let silent = Recorder(.failed("cannot connect to 127.0.0.1:7002: Connection refused"))
        let response = routes(silent).respond(json("PATCH", "/api/vms/2/config", #"{"paused":true}"#))
        #expect(response.status == 502)
        #expect(error(response)?.contains("Connection refused") == true)
    }
}
