import NIOCore

/// One frame of the peer protocol (docs/protocol.md).
///
/// On the wire: a 4-byte big-endian length of what follows, a 1-byte type, then the payload.
public enum WireFrame: Sendable, Equatable {
    /// The first frame on a connection, in both directions.
    case hello(version: UInt16, vmID: Int, clusterSize: Int)
    /// Sent instead of a `hello` reply when the handshake is refused; the connection then closes.
    case reject(reason: String)
    /// A message of the simulation. The sender is the VM at the other end of the connection.
    case message(sendSeq: Int, clock: Int)
    /// "I am leaving: I send no more messages." The receiver answers `byeAck` and stops sending.
    case bye
    /// "I saw your bye; everything I sent you is before this frame."
    case byeAck

    /// The protocol version this build speaks.
    public static let protocolVersion: UInt16 = 1
    /// Bytes that open every `hello` payload, so a stray client is told apart from a peer.
    public static let magic: UInt32 = 0x4C_4D_50_43  // "LMPC"
    /// Largest accepted frame body (type byte plus payload), in bytes.
    public static let maximumBodyLength = 1024

    enum TypeCode: UInt8 {
        case hello = 1
        case reject = 2
        case message = 3
        case bye = 4
        case byeAck = 5
    }

    /// Appends the encoded frame, length prefix included, to `buffer`.
    public func encode(into buffer: inout ByteBuffer) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        switch self {
        case .hello(let version, let vmID, let clusterSize):
            buffer.writeInteger(TypeCode.hello.rawValue)
            buffer.writeInteger(Self.magic)
            buffer.writeInteger(version)
            buffer.writeInteger(UInt32(truncatingIfNeeded: vmID))
            buffer.writeInteger(UInt32(truncatingIfNeeded: clusterSize))
        case .reject(let reason):
            buffer.writeInteger(TypeCode.reject.rawValue)
            buffer.writeBytes(reason.utf8.prefix(Self.maximumBodyLength - 1))
        case .message(let sendSeq, let clock):
            buffer.writeInteger(TypeCode.message.rawValue)
            buffer.writeInteger(UInt64(truncatingIfNeeded: sendSeq))
            buffer.writeInteger(UInt64(truncatingIfNeeded: clock))
        case .bye:
            buffer.writeInteger(TypeCode.bye.rawValue)
        case .byeAck:
            buffer.writeInteger(TypeCode.byeAck.rawValue)
        }
        buffer.setInteger(UInt32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
    }
}

/// Why bytes from a peer could not be read as a frame. The connection is closed with this reason.
public enum WireFormatError: Error, Equatable, CustomStringConvertible {
    case oversizedFrame(length: Int)
    case emptyFrame
    case unknownType(UInt8)
    case badPayload(type: String, length: Int)
    case badMagic
    case valueOutOfRange

    public var description: String {
        switch self {
        case .oversizedFrame(let length):
            "frame of \(length) bytes exceeds the limit of \(WireFrame.maximumBodyLength)"
        case .emptyFrame: "frame with no type byte"
        case .unknownType(let code): "unknown frame type \(code)"
        case .badPayload(let type, let length): "\(type) frame with a payload of \(length) bytes"
        case .badMagic: "hello without the protocol's magic bytes (not a vmserver peer?)"
        case .valueOutOfRange: "message frame with send_seq or clock above 2^63-1"
        }
    }
}
