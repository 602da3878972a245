import NIOCore
import NIOEmbedded
import Testing

@testable import VMRuntime

/// The peer frame decoder in a real NIO pipeline (EmbeddedChannel): frames split across reads,
/// several in one read, and bytes that must close the connection.
struct WireFrameDecoderTests {
    static func bytes(_ frames: [WireFrame]) -> [UInt8] {
        var buffer = ByteBuffer()
        for frame in frames { frame.encode(into: &buffer) }
        return Array(buffer.readableBytesView)
    }

    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WireFrameDecoder()))
        return channel
    }

    static func readAll(_ channel: EmbeddedChannel) throws -> [WireFrame] {
        var frames: [WireFrame] = []
        while let frame = try channel.readInbound(as: WireFrame.self) { frames.append(frame) }
        return frames
    }

    static let sample: [WireFrame] = [
        .hello(PeerHello(vmID: 2, clusterSize: 3, usesSecret: true, nonce: Array(1...16))),
        .message(sendSeq: 17, clock: 42),
        .heartbeat,
        .auth(proof: [UInt8](repeating: 7, count: 32)),
        .bye, .byeAck,
        .reject(reason: "VM 2 is stopping"),
        .message(sendSeq: WireFrame.maximumMessageValue, clock: WireFrame.maximumMessageValue),
    ]

    @Test("frames split into single bytes come out whole and in order")
    func splitFrames() throws {
        let channel = try Self.channel()
        for byte in Self.bytes(Self.sample) {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        #expect(try Self.readAll(channel) == Self.sample)
        #expect(try channel.finish().isClean)
    }

    @Test("many frames in one read all come out")
    func coalescedFrames() throws {
        let channel = try Self.channel()
        let many = Array(repeating: Self.sample, count: 50).flatMap { $0 }
        try channel.writeInbound(ByteBuffer(bytes: Self.bytes(many)))
        #expect(try Self.readAll(channel) == many)
    }

    @Test("the message of the docs' hex example decodes to send_seq 17, clock 42")
    func documentedExample() throws {
        var buffer = ByteBuffer(bytes: [0, 0, 0, 0x11, 3, 0, 0, 0, 0, 0, 0, 0, 0x11, 0, 0, 0, 0, 0, 0, 0, 0x2A])
        #expect(try WireFrameDecoder.decodeFrame(from: &buffer) == .message(sendSeq: 17, clock: 42))
    }

    struct BadBytes: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        var error: WireFormatError
        var testDescription: String { label }
    }

    static func be<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static let bad: [BadBytes] = [
        BadBytes(
            label: "an oversized length, refused before its body arrives", bytes: [0, 0, 4, 1],
            error: .oversizedFrame(length: 1025)),
        BadBytes(
            label: "a length of 2^32-1", bytes: [0xFF, 0xFF, 0xFF, 0xFF], error: .oversizedFrame(length: 4_294_967_295)),
        BadBytes(label: "an empty frame", bytes: [0, 0, 0, 0], error: .emptyFrame),
        BadBytes(label: "an unknown type", bytes: [0, 0, 0, 1, 0x99], error: .unknownType(0x99)),
        BadBytes(
            label: "HTTP bytes", bytes: Array("GET / HTTP/1.1\r\n\r\n".utf8),
            error: .oversizedFrame(length: 1_195_725_856)),
        BadBytes(
            label: "a message clock of 2^63-1 (would overflow the Lamport clock)",
            bytes: [0, 0, 0, 17, 3] + be(UInt64(1)) + be(UInt64(Int64.max)), error: .valueOutOfRange),
        BadBytes(
            label: "a message clock of 2^53", bytes: [0, 0, 0, 17, 3] + be(UInt64(1)) + be(UInt64(1) << 53),
            error: .valueOutOfRange),
        BadBytes(
            label: "a message clock of 0", bytes: [0, 0, 0, 17, 3] + be(UInt64(1)) + be(UInt64(0)),
            error: .valueOutOfRange),
        BadBytes(
            label: "a short message", bytes: [0, 0, 0, 3, 3, 0, 0], error: .badPayload(type: "message", length: 2)),
        BadBytes(label: "a bye with a payload", bytes: [0, 0, 0, 2, 4, 0], error: .badPayload(type: "bye", length: 1)),
        BadBytes(label: "a short auth", bytes: [0, 0, 0, 3, 7, 1, 2], error: .badPayload(type: "auth", length: 2)),
        BadBytes(
            label: "a hello without the magic", bytes: [0, 0, 0, 15, 1] + [UInt8](repeating: 0, count: 14),
            error: .badMagic),
        BadBytes(
            label: "a hello with unknown flags",
            bytes: [0, 0, 0, 32, 1] + be(WireFrame.magic) + be(UInt16(2)) + be(UInt32(2)) + be(UInt32(3)) + [9]
                + [UInt8](repeating: 0, count: 16), error: .badFlags(9)),
    ]

    @Test("bad bytes are a WireFormatError (the connection is then closed)", arguments: bad)
    func badBytes(_ bad: BadBytes) throws {
        var buffer = ByteBuffer(bytes: bad.bytes)
        #expect(throws: bad.error) { try WireFrameDecoder.decodeFrame(from: &buffer) }
    }

    @Test("a version-1 hello still decodes, so it can be refused with a readable reason")
    func versionOneHello() throws {
        var buffer = ByteBuffer(
            bytes: [0, 0, 0, 15, 1] + Self.be(WireFrame.magic) + Self.be(UInt16(1)) + Self.be(UInt32(2))
                + Self.be(UInt32(3)))
        #expect(
            try WireFrameDecoder.decodeFrame(from: &buffer)
                == .hello(PeerHello(version: 1, vmID: 2, clusterSize: 3, usesSecret: false, nonce: [])))
    }

    @Test("an incomplete frame consumes nothing")
    func incomplete() throws {
        var buffer = ByteBuffer(bytes: Array(Self.bytes([.message(sendSeq: 1, clock: 2)]).dropLast()))
        #expect(try WireFrameDecoder.decodeFrame(from: &buffer) == nil)
        #expect(buffer.readableBytes == 20)
    }
}
