import MicroHTTP
import Orchestration

/// The live dashboard: a `DashboardBoard` kept fresh by a `VMPoller`, served over the project's
/// `HTTPServer` with `DashboardRoutes`. It reads and steers the VMs only through their control
/// planes. Runs until `stop()`.
public final class DashboardServer: Sendable {
    public let board: DashboardBoard
    /// The address the page is served on, e.g. `http://127.0.0.1:8090/`.
    public let url: String
    private let server: HTTPServer
    private let poller: Task<Void, Never>

    /// Starts serving on `host:port` (port 0 picks a free one) and polling `urls`. Throws an
    /// `HTTPServerError` saying why it cannot listen.
    public init(
        host: String = "127.0.0.1", port: Int, urls: [ControlURL], poller: VMPoller = VMPoller(),
        forwarder: BlockingForwarder = BlockingForwarder()
    ) throws {
        let board = DashboardBoard(urls: urls)
        let routes = DashboardRoutes(board: board) { url, request in forwarder.forward(url, request) }
        var limits = HTTPServer.Limits()
        limits.connectionTimeout = 30
        server = try HTTPServer(host: host, port: port, limits: limits) { request in routes.respond(request) }
        self.board = board
        let shown = host.contains(":") ? "[\(host)]" : host
        url = "http://\(shown):\(server.port)/"
        self.poller = Task { await poller.run(board) }
    }

    /// The port it listens on.
    public var port: Int { server.port }

    /// Watches other VMs from now on (the next trial of an experiment).
    public func watch(_ urls: [ControlURL]) {
        board.replace(urls: urls)
    }

    /// Stops polling and serving.
    public func stop() {
        poller.cancel()
        server.stop()
    }

    deinit {
        poller.cancel()
    }
}
