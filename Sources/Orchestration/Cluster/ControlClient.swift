import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client for VMs' control planes: one request per connection, on loopback or
/// any host, with a timeout. It is how `vmserver cluster` (and any script) watches and retunes VMs.
public struct ControlClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    /// Why a request got no HTTP response.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let group: any EventLoopGroup
    private let timeout: TimeAmount

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, timeout: TimeAmount = .seconds(2)) {
        self.group = group
        self.timeout = timeout
    }

    /// Sends one request and returns the response; throws `Failure` when there is none.
    public func request(
        _ method: HTTPMethod, host: String = "127.0.0.1", port: Int, path: String, json body: String? = nil,
        headers extra: [(String, String)] = []
    ) async throws -> Response {
        let loop = group.next()
        let promise = loop.makePromise(of: Response.self)
        let outcome = ResponseOutcome(promise)
        let timeout = timeout
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector(outcome: outcome))
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            let failure = Failure(
                description: "cannot connect to \(host):\(port): \(ConnectFailureText.explain(error))")
            outcome.fail(failure)
            throw failure
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in extra { head.headers.add(name: name, value: value) }
        var payload: ByteBuffer?
        if let body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.utf8.count))
            payload = channel.allocator.buffer(string: body)
        } else {
            head.headers.add(name: "Content-Length", value: "0")
        }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let payload { channel.write(HTTPClientRequestPart.body(.byteBuffer(payload)), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let timer = loop.scheduleTask(in: timeout) {
            outcome.fail(Failure(description: "no answer from \(host):\(port) within \(timeout)"))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        return try await promise.futureResult.get()
    }
}

/// The promise of one request's answer, completed exactly once: by the response, a broken
/// connection, the timeout or a failed connect, whichever comes first; the later ones are ignored.
private final class ResponseOutcome: Sendable {
    private let pending: NIOLockedValueBox<EventLoopPromise<ControlClient.Response>?>

    init(_ promise: EventLoopPromise<ControlClient.Response>) {
        pending = NIOLockedValueBox(promise)
    }

    func succeed(_ response: ControlClient.Response) {
        take()?.succeed(response)
    }

    func fail(_ failure: ControlClient.Failure) {
        take()?.fail(failure)
    }

    /// The promise the first time, nil after.
    private func take() -> EventLoopPromise<ControlClient.Response>? {
        pending.withLockedValue { promise in
            defer { promise = nil }
            return promise
        }
    }
}

/// Gathers one HTTP response and completes the request's outcome with it.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let outcome: ResponseOutcome
    private var status = 0
    private var body: [UInt8] = []

    init(outcome: ResponseOutcome) {
        self.outcome = outcome
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): status = Int(head.status.code)
        case .body(let buffer): body.append(contentsOf: buffer.readableBytesView)
        case .end:
            outcome.succeed(ControlClient.Response(status: status, body: body))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        outcome.fail(ControlClient.Failure(description: "bad answer: \(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        outcome.fail(ControlClient.Failure(description: "connection closed before the answer was complete"))
    }
}
