import CFuzzDriver
import LamportCore
import NIOCore
import VMRuntime

/// The executable's entry point (SwiftPM aliases `main` to it): runs libFuzzer on the target below.
@_cdecl("FuzzPeerFrames_main")
func fuzzPeerFramesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzPeerFrames(data, size) }
}

/// libFuzzer entry: the bytes are what a peer sends on one connection. They are cut into frames
/// as a VM does, and each frame drives both ends of the handshake (with and without a secret) and,
/// once established, the core's queue. The properties checked beyond "no crash": every frame that
/// decodes encodes back to bytes that decode to the same frame, and no message the core accepts
/// carries a value outside 1...2^53-1.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPeerFrames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var buffer = ByteBuffer(bytes: UnsafeRawBufferPointer(start: data, count: size))
    let nonce = [UInt8](repeating: 0x5A, count: WireFrame.nonceLength)
    var ends = [
        PeerHandshake(role: .acceptor, localID: 1, clusterSize: 3, secret: PeerSecret("fuzz"), nonce: nonce),
        PeerHandshake(role: .acceptor, localID: 1, clusterSize: 3, secret: nil, nonce: nonce),
        PeerHandshake(role: .dialer(expecting: 2), localID: 1, clusterSize: 3, secret: nil, nonce: nonce),
        PeerHandshake(
            role: .dialer(expecting: 2), localID: 1, clusterSize: 3, secret: PeerSecret("fuzz"), nonce: nonce),
    ]
    var established = [Int?](repeating: nil, count: ends.count)
    var core = VMCore(
        id: 1, peers: [2, 3], tuning: VMTuning(tickRate: .unthrottled, maxAction: 10),
        random: SeededRandom(seed: 1, vmID: 1))
    while true {
        let frame: WireFrame?
        do {
            frame = try WireFrameDecoder.decodeFrame(from: &buffer)
        } catch {
            return 0  // a VM closes the connection here
        }
        guard let frame else { return 0 }
        var again = ByteBuffer()
        frame.encode(into: &again)
        guard (try? WireFrameDecoder.decodeFrame(from: &again)) == frame else {
            fatalError("frame \(frame) does not survive encode and decode")
        }
        for index in ends.indices where !ends[index].isFinished {
            if case .established(let peer, _) = ends[index].receive(frame, admit: { $0.vmID == 2 ? nil : "no" }) {
                established[index] = peer
            }
        }
        let carried: (sendSeq: Int, clock: Int, duplicate: Bool)? =
            switch frame {
            case .message(let sendSeq, let clock): (sendSeq, clock, false)
            case .duplicate(let sendSeq, let clock): (sendSeq, clock, true)
            default: nil
            }
        if let (sendSeq, clock, duplicate) = carried, let peer = established.compactMap({ $0 }).first {
            let accepted = core.deliver(PeerMessage(from: peer, sendSeq: sendSeq, clock: clock), duplicate: duplicate)
            precondition(accepted == LamportClock.acceptable.contains(clock), "deliver disagrees with the limit")
            _ = core.tick()
        }
    }
}
