import NIOCore

/// Splits the byte stream from a peer into `WireFrame`s; throws `WireFormatError` on bytes that
/// are not a valid frame, which closes the connection.
public struct WireFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = WireFrame

    public init() {}

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.decodeFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    /// Payload bytes of a version-1 `hello` (magic, version, id, cluster size).
    static let helloV1PayloadLength = 14
    /// Payload bytes of a version-2 `hello` (a version-1 hello, then flags and the nonce).
    static let helloPayloadLength = helloV1PayloadLength + 1 + WireFrame.nonceLength

    /// Reads one frame from the front of `buffer`, or returns nil (consuming nothing) if the frame
    /// is not complete yet. Every value is checked before it is used: lengths against the limit,
    /// message values against `WireFrame.maximumMessageValue`.
    public static func decodeFrame(from buffer: inout ByteBuffer) throws -> WireFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        guard length <= UInt32(WireFrame.maximumBodyLength) else {
            throw WireFormatError.oversizedFrame(length: Int(length))
        }
        let bodyLength = Int(length)
        guard bodyLength > 0 else { throw WireFormatError.emptyFrame }
        guard buffer.readableBytes >= 4 + bodyLength else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        var body = buffer.readSlice(length: bodyLength)!
        let code = body.readInteger(as: UInt8.self)!
        guard let type = WireFrame.TypeCode(rawValue: code) else { throw WireFormatError.unknownType(code) }
        switch type {
        case .hello:
            return .hello(try decodeHello(&body))
        case .reject:
            return .reject(reason: String(decoding: body.readableBytesView, as: UTF8.self))
        case .message, .duplicate:
            guard body.readableBytes == 16 else {
                throw WireFormatError.badPayload(type: type.name, length: body.readableBytes)
            }
            let sendSeq = body.readInteger(as: UInt64.self)!
            let clock = body.readInteger(as: UInt64.self)!
            let limit = UInt64(WireFrame.maximumMessageValue)
            guard sendSeq >= 1, sendSeq <= limit, clock >= 1, clock <= limit else {
                throw WireFormatError.valueOutOfRange
            }
            return type == .message
                ? .message(sendSeq: Int(sendSeq), clock: Int(clock))
                : .duplicate(sendSeq: Int(sendSeq), clock: Int(clock))
        case .bye, .byeAck, .heartbeat:
            guard body.readableBytes == 0 else {
                throw WireFormatError.badPayload(type: type.name, length: body.readableBytes)
            }
            return type == .bye ? .bye : type == .byeAck ? .byeAck : .heartbeat
        case .auth:
            guard body.readableBytes == WireFrame.proofLength else {
                throw WireFormatError.badPayload(type: "auth", length: body.readableBytes)
            }
            return .auth(proof: Array(body.readableBytesView))
        }
    }

    private static func decodeHello(_ body: inout ByteBuffer) throws -> PeerHello {
        let length = body.readableBytes
        guard length == helloV1PayloadLength || length == helloPayloadLength else {
            throw WireFormatError.badPayload(type: "hello", length: length)
        }
        guard body.readInteger(as: UInt32.self) == WireFrame.magic else { throw WireFormatError.badMagic }
        let version = body.readInteger(as: UInt16.self)!
        let vmID = Int(body.readInteger(as: UInt32.self)!)
        let clusterSize = Int(body.readInteger(as: UInt32.self)!)
        guard length == helloPayloadLength else {
            return PeerHello(version: version, vmID: vmID, clusterSize: clusterSize, usesSecret: false, nonce: [])
        }
        let flags = body.readInteger(as: UInt8.self)!
        guard flags <= 1 else { throw WireFormatError.badFlags(flags) }
        let nonce = Array(body.readBytes(length: WireFrame.nonceLength)!)
        return PeerHello(version: version, vmID: vmID, clusterSize: clusterSize, usesSecret: flags == 1, nonce: nonce)
    }
}
