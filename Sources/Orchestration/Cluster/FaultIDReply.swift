import Foundation

/// The `id` of the fault in a `POST /faults` answer (openapi.yaml has the whole fault).
struct FaultIDReply: Decodable {
    var id: Int

    /// The id in `body`, nil when it is not a fault.
    static func id(in body: [UInt8]) -> Int? {
        (try? JSONDecoder().decode(FaultIDReply.self, from: Data(body)))?.id
    }
}
