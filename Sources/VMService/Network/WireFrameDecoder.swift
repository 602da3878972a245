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

    /// Reads one frame from the front of `buffer`, or returns nil (consuming nothing) if the frame
    /// is not complete yet.
    public static func decodeFrame(from buffer: inout ByteBuffer) throws -> WireFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return nil }
        let bodyLength = Int(length)
        guard bodyLength <= WireFrame.maximumBodyLength else {
            throw WireFormatError.oversizedFrame(length: bodyLength)
        }
        guard bodyLength > 0 else { throw WireFormatError.emptyFrame }
        guard buffer.readableBytes >= 4 + bodyLength else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        var body = buffer.readSlice(length: bodyLength)!
        let code = body.readInteger(as: UInt8.self)!
        guard let type = WireFrame.TypeCode(rawValue: code) else { throw WireFormatError.unknownType(code) }
        switch type {
        case .hello:
            guard body.readableBytes == 14 else {
                throw WireFormatError.badPayload(type: "hello", length: body.readableBytes)
            }
            guard body.readInteger(as: UInt32.self) == WireFrame.magic else { throw WireFormatError.badMagic }
            let version = body.readInteger(as: UInt16.self)!
            let vmID = Int(body.readInteger(as: UInt32.self)!)
            let clusterSize = Int(body.readInteger(as: UInt32.self)!)
            return .hello(version: version, vmID: vmID, clusterSize: clusterSize)
        case .reject:
            return .reject(reason: body.readString(length: body.readableBytes) ?? "")
        case .message:
            guard body.readableBytes == 16 else {
                throw WireFormatError.badPayload(type: "message", length: body.readableBytes)
            }
            let sendSeq = body.readInteger(as: UInt64.self)!
            let clock = body.readInteger(as: UInt64.self)!
            guard sendSeq <= UInt64(Int.max), clock <= UInt64(Int.max) else {
                throw WireFormatError.valueOutOfRange
            }
            return .message(sendSeq: Int(sendSeq), clock: Int(clock))
        case .bye, .byeAck:
            guard body.readableBytes == 0 else {
                throw WireFormatError.badPayload(type: type == .bye ? "bye" : "bye-ack", length: body.readableBytes)
            }
            return type == .bye ? .bye : .byeAck
        }
    }
}
