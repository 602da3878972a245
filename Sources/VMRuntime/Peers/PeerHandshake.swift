/// The handshake of one peer connection (docs/protocol.md, "Handshake"), as a value without IO:
/// it takes the frames that arrive and says what to send and whether the link is up.
///
/// Without a PEER_SECRET: the dialer sends `hello`, the acceptor answers `hello`, and both are
/// established. With one: the acceptor answers `hello` and `auth` (its proof), the dialer checks
/// that proof and answers its own `auth`, and the acceptor is established once it checked that.
/// No frame but these is accepted before the link is established.
public struct PeerHandshake: Sendable {
    /// Which end of the connection this VM is.
    public enum Role: Sendable, Equatable {
        /// We dialed this connection, expecting the peer with this id.
        case dialer(expecting: Int)
        case acceptor
    }

    /// What the connection does after a frame.
    public enum Step: Sendable, Equatable {
        /// Send these frames (possibly none) and wait for more.
        case proceed(send: [WireFrame])
        /// The link is up with `peer`: send these frames first.
        case established(peer: Int, send: [WireFrame])
        /// This VM refuses the peer: send `reject(reason)`, then close.
        case refuse(reason: String)
        /// Close without an answer (the peer refused us, or broke the protocol).
        case fail(reason: String)
    }

    private enum Phase: Sendable {
        case awaitingHello
        case awaitingAuth(PeerHello)
        case finished
    }

    public let role: Role
    public let localID: Int
    public let clusterSize: Int
    private let secret: PeerSecret?
    private let nonce: [UInt8]
    private var phase = Phase.awaitingHello

    /// - Parameter nonce: `WireFrame.nonceLength` fresh random bytes for this connection.
    public init(role: Role, localID: Int, clusterSize: Int, secret: PeerSecret?, nonce: [UInt8]) {
        self.role = role
        self.localID = localID
        self.clusterSize = clusterSize
        self.secret = secret
        self.nonce = nonce
    }

    /// The frames to send as soon as the connection is open: the dialer speaks first.
    public var opening: [WireFrame] {
        if case .dialer = role { [.hello(ownHello)] } else { [] }
    }

    /// Whether the handshake is over (either way).
    public var isFinished: Bool {
        if case .finished = phase { true } else { false }
    }

    private var ownHello: PeerHello {
        PeerHello(vmID: localID, clusterSize: clusterSize, usesSecret: secret != nil, nonce: nonce)
    }

    /// Takes one frame from the peer. `admit` is asked once, with the peer's hello, after the
    /// protocol's own checks; it returns the reason to refuse the peer, or nil to accept it.
    public mutating func receive(_ frame: WireFrame, admit: (PeerHello) -> String?) -> Step {
        switch (phase, frame) {
        case (.finished, _):
            return .fail(reason: "protocol error: \(frame.name) after the handshake ended")
        case (_, .reject(let reason)):
            return finish(.fail(reason: "peer refused the handshake: \(reason)"))
        case (.awaitingHello, .hello(let hello)):
            if let refusal = check(hello) ?? admit(hello) { return finish(.refuse(reason: refusal)) }
            return accept(hello)
        case (.awaitingHello, _):
            return finish(.fail(reason: "protocol error: expected hello, got \(frame.name)"))
        case (.awaitingAuth(let hello), .auth(let proof)):
            return verify(proof, from: hello)
        case (.awaitingAuth, _):
            return finish(.fail(reason: "protocol error: expected auth, got \(frame.name)"))
        }
    }

    /// The protocol's checks of a hello: version, and that both ends agree on using a secret.
    private func check(_ hello: PeerHello) -> String? {
        if hello.version != WireFrame.protocolVersion {
            return "protocol version \(hello.version) is not supported (this VM speaks \(WireFrame.protocolVersion))"
        }
        if hello.nonce.count != WireFrame.nonceLength {
            return "a version \(hello.version) hello has flags and a nonce (31 bytes); this one has 14"
        }
        if secret != nil && !hello.usesSecret {
            return "VM \(localID) requires a PEER_SECRET and VM \(hello.vmID) has none"
        }
        if secret == nil && hello.usesSecret {
            return "VM \(hello.vmID) uses a PEER_SECRET and VM \(localID) has none"
        }
        return nil
    }

    private mutating func accept(_ hello: PeerHello) -> Step {
        switch (role, secret) {
        case (.acceptor, nil):
            return finish(.established(peer: hello.vmID, send: [.hello(ownHello)]))
        case (.dialer, nil):
            return finish(.established(peer: hello.vmID, send: []))
        case (.acceptor, let secret?):
            phase = .awaitingAuth(hello)
            return .proceed(send: [.hello(ownHello), .auth(proof: ownProof(secret, for: hello))])
        case (.dialer, _):
            phase = .awaitingAuth(hello)
            return .proceed(send: [])
        }
    }

    private mutating func verify(_ proof: [UInt8], from hello: PeerHello) -> Step {
        guard let secret else { return finish(.fail(reason: "protocol error: auth without a PEER_SECRET")) }
        let valid = secret.verify(
            proof, side: role == .acceptor ? .dialer : .acceptor, prover: hello.vmID, verifier: localID,
            proverNonce: hello.nonce, verifierNonce: nonce)
        guard valid else {
            return finish(
                .refuse(reason: "PEER_SECRET mismatch: the proof of VM \(hello.vmID) is wrong (same secret on both?)"))
        }
        if role == .acceptor { return finish(.established(peer: hello.vmID, send: [])) }
        return finish(.established(peer: hello.vmID, send: [.auth(proof: ownProof(secret, for: hello))]))
    }

    private func ownProof(_ secret: PeerSecret, for hello: PeerHello) -> [UInt8] {
        secret.proof(
            side: role == .acceptor ? .acceptor : .dialer, prover: localID, verifier: hello.vmID, proverNonce: nonce,
            verifierNonce: hello.nonce)
    }

    private mutating func finish(_ step: Step) -> Step {
        phase = .finished
        return step
    }
}
