import Dispatch
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Orchestration

/// Forwards a page's request to a VM with `ControlClient` and waits for the answer: the HTTP
/// server calls its handler synchronously on its own thread, so the wait happens there (at most
/// the client's timeout), while the request itself runs on SwiftNIO's threads.
public struct BlockingForwarder: Sendable {
    private let client: ControlClient

    public init(client: ControlClient = ControlClient(timeout: .seconds(5))) {
        self.client = client
    }

    /// Sends `request` to the VM at `url` and returns its answer.
    public func forward(_ url: ControlURL, _ request: ForwardedRequest) -> ForwardOutcome {
        let answer = NIOLockedValueBox<ForwardOutcome?>(nil)
        let done = DispatchSemaphore(value: 0)
        let client = client
        Task {
            var headers: [(String, String)] = []
            if let token = request.authorization { headers.append(("Authorization", token)) }
            let outcome: ForwardOutcome
            do {
                let response = try await client.request(
                    HTTPMethod(rawValue: request.method), host: url.host, port: url.port, path: request.path,
                    json: request.body.map { String(decoding: $0, as: UTF8.self) }, headers: headers)
                outcome = .answered(status: response.status, body: response.body)
            } catch {
                outcome = .failed("\(error)")
            }
            answer.withLockedValue { $0 = outcome }
            done.signal()
        }
        done.wait()
        return answer.withLockedValue { $0 } ?? .failed("no answer")
    }
}
