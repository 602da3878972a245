import CFuzzDriver
import Foundation
import JSONText
import LamportCore
import VMRuntime

/// The executable's entry point (SwiftPM aliases `main` to it): runs libFuzzer on the target below.
@_cdecl("FuzzConfigBody_main")
func fuzzConfigBodyMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzConfigBody(data, size) }
}

/// libFuzzer entry: the bytes are the body of a `PUT`/`PATCH /config`. Beyond "no crash": every
/// body our parser accepts, Foundation's JSON parser accepts too (ours is the stricter one), and
/// every change `ConfigChange.parse` accepts is within the documented ranges.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if (try? JSONBodyParser().parse(bytes)) != nil {
        let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        precondition(foundation != nil, "JSONBodyParser accepted a body Foundation refuses")
    }
    guard let change = try? ConfigChange.parse(bytes, minimumMaxAction: 3) else { return 0 }
    if case .perSecond(let rate) = change.tickRate {
        precondition(rate >= RunLimits.minimumTickRate && rate <= RunLimits.maximumTickRate, "rate out of range")
    }
    if let maxAction = change.maxAction { precondition((3...1_000_000).contains(maxAction), "max_action out of range") }
    return 0
}
