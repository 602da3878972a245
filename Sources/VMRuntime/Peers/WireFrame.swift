import LamportCore
import NIOCore

/// One frame of the peer protocol (docs/protocol.md).
///
/// On the wire: a 4-byte big-endian length of what follows, a 1-byte type, then the payload.
public enum WireFrame: Sendable, Equatable {
    /// The first frame on a connection, in both directions.
    case hello(PeerHello)
    /// Sent instead of a `hello` reply when the handshake is refused; the connection then closes.
    case reject(reason: String)
    /// A message of the simulation. The sender is the VM at the other end of the connection.
    case message(sendSeq: Int, clock: Int)
    /// A second copy of a message already sent on this link (same `send_seq` and clock), made by
    /// a `duplicate` fault at the sender; never before its original. The receiver queues it like
    /// a message and logs its receive as a duplicate.
    case duplicate(sendSeq: Int, clock: Int)
    /// "I am leaving: I send no more messages." The receiver answers `byeAck` and stops sending.
    case bye
    /// "I saw your bye; everything I sent you is before this frame."
    case byeAck
    /// "I am alive": sent every second on an established link, so a silent link is noticed.
    case heartbeat
    /// The proof that the sender knows the cluster's PEER_SECRET (an HMAC-SHA256 of the handshake).
    case auth(proof: [UInt8])

    /// The protocol version this build speaks.
    public static let protocolVersion: UInt16 = 3
    /// Bytes that open every `hello` payload, so a stray client is told apart from a peer.
    public static let magic: UInt32 = 0x4C_4D_50_43  // "LMPC"
    /// Largest accepted frame body (type byte plus payload), in bytes.
    public static let maximumBodyLength = 1024
    /// Largest `send_seq` and `clock` a message may carry: 2^53 - 1, the largest integer every
    /// JSON reader (jq, JavaScript) holds exactly, and far from overflowing a Lamport clock.
    public static let maximumMessageValue = LamportClock.maximumStamp
    /// Bytes of the nonce in a version-2 `hello`.
    public static let nonceLength = 16
    /// Bytes of an `auth` proof (an HMAC-SHA256).
    public static let proofLength = 32

    enum TypeCode: UInt8 {
        case hello = 1
        case reject = 2
        case message = 3
        case bye = 4
        case byeAck = 5
        case heartbeat = 6
        case auth = 7
        case duplicate = 8

        /// The type's name, as docs/protocol.md writes it.
        var name: String {
            switch self {
            case .hello: "hello"
            case .reject: "reject"
            case .message: "message"
            case .bye: "bye"
            case .byeAck: "bye_ack"
            case .heartbeat: "heartbeat"
            case .auth: "auth"
            case .duplicate: "duplicate"
            }
        }
    }

    /// The frame's type.
    var typeCode: TypeCode {
        switch self {
        case .hello: .hello
        case .reject: .reject
        case .message: .message
        case .bye: .bye
        case .byeAck: .byeAck
        case .heartbeat: .heartbeat
        case .auth: .auth
        case .duplicate: .duplicate
        }
    }

    /// The frame's type, as docs/protocol.md names it.
    public var name: String { typeCode.name }

    /// Appends the encoded frame, length prefix included, to `buffer`.
    public func encode(into buffer: inout ByteBuffer) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0))
        switch self {
        case .hello(let hello):
            buffer.writeInteger(TypeCode.hello.rawValue)
            buffer.writeInteger(Self.magic)
            buffer.writeInteger(hello.version)
            buffer.writeInteger(UInt32(truncatingIfNeeded: hello.vmID))
            buffer.writeInteger(UInt32(truncatingIfNeeded: hello.clusterSize))
            // The short (version-1) layout has no flags and no nonce: a hello read in that layout
            // has an empty nonce, and is written back in it, so bytes survive a read and a write.
            guard !hello.nonce.isEmpty || hello.usesSecret else { break }
            buffer.writeInteger(hello.usesSecret ? UInt8(1) : UInt8(0))
            buffer.writeBytes(hello.nonce.prefix(Self.nonceLength))
            if hello.nonce.count < Self.nonceLength {
                buffer.writeRepeatingByte(0, count: Self.nonceLength - hello.nonce.count)
            }
        case .reject(let reason):
            buffer.writeInteger(TypeCode.reject.rawValue)
            buffer.writeBytes(reason.utf8.prefix(Self.maximumBodyLength - 1))
        case .message(let sendSeq, let clock), .duplicate(let sendSeq, let clock):
            buffer.writeInteger(typeCode.rawValue)
            buffer.writeInteger(UInt64(truncatingIfNeeded: sendSeq))
            buffer.writeInteger(UInt64(truncatingIfNeeded: clock))
        case .bye:
            buffer.writeInteger(TypeCode.bye.rawValue)
        case .byeAck:
            buffer.writeInteger(TypeCode.byeAck.rawValue)
        case .heartbeat:
            buffer.writeInteger(TypeCode.heartbeat.rawValue)
        case .auth(let proof):
            buffer.writeInteger(TypeCode.auth.rawValue)
            buffer.writeBytes(proof.prefix(Self.proofLength))
        }
        buffer.setInteger(UInt32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex)
    }
}

/// What a `hello` frame says about the VM that sent it.
public struct PeerHello: Sendable, Equatable {
    /// The sender's protocol version. A version-1 hello (14 payload bytes) decodes with
    /// `usesSecret` false and an empty nonce, so it can be refused with a readable reason.
    public var version: UInt16
    public var vmID: Int
    public var clusterSize: Int
    /// Whether the sender has a PEER_SECRET and will prove it with an `auth` frame.
    public var usesSecret: Bool
    /// Fresh random bytes of the sender, the challenge the other side's proof covers.
    public var nonce: [UInt8]

    public init(
        version: UInt16 = WireFrame.protocolVersion, vmID: Int, clusterSize: Int, usesSecret: Bool, nonce: [UInt8]
    ) {
        self.version = version
        self.vmID = vmID
        self.clusterSize = clusterSize
        self.usesSecret = usesSecret
        self.nonce = nonce
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
    case badFlags(UInt8)

    public var description: String {
        switch self {
        case .oversizedFrame(let length):
            "frame of \(length) bytes exceeds the limit of \(WireFrame.maximumBodyLength)"
        case .emptyFrame: "frame with no type byte"
        case .unknownType(let code): "unknown frame type \(code)"
        case .badPayload(let type, let length): "\(type) frame with a payload of \(length) bytes"
        case .badMagic: "hello without the protocol's magic bytes (not a vmserver peer?)"
        case .valueOutOfRange: "message frame with send_seq or clock above 2^53-1"
        case .badFlags(let flags): "hello with unknown flags \(flags)"
        }
    }
}
