import Foundation

/// The fields of `GET /status` the cluster and experiment commands use (openapi.yaml has all).
public struct StatusReport: Decodable, Sendable, Equatable {
    public var vmID: Int
    public var state: String
    public var clock: Int
    public var queueLength: Int
    public var measuredTickRate: Double
    public var lastSeq: Int

    enum CodingKeys: String, CodingKey {
        case vmID = "vm_id"
        case state, clock
        case queueLength = "queue_length"
        case measuredTickRate = "measured_tick_rate"
        case lastSeq = "last_seq"
    }

    /// Fetches and decodes a VM's status; nil when it does not answer or the answer is not a status.
    public static func fetch(port: Int, host: String = "127.0.0.1", client: ControlClient) async -> StatusReport? {
        guard let response = try? await client.request(.GET, host: host, port: port, path: "/status"),
            response.status == 200
        else { return nil }
        return try? JSONDecoder().decode(StatusReport.self, from: Data(response.body))
    }
}
