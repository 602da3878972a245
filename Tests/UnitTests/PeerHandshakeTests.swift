import Testing

@testable import VMRuntime

/// The handshake as a value: what each side sends, when a link is up, and what is refused.
struct PeerHandshakeTests {
    static let dialerNonce = [UInt8](repeating: 0xD1, count: WireFrame.nonceLength)
    static let acceptorNonce = [UInt8](repeating: 0xAC, count: WireFrame.nonceLength)

    static func pair(dialerSecret: String?, acceptorSecret: String?) -> (PeerHandshake, PeerHandshake) {
        (
            PeerHandshake(
                role: .dialer(expecting: 1), localID: 2, clusterSize: 3, secret: dialerSecret.flatMap(PeerSecret.init),
                nonce: dialerNonce),
            PeerHandshake(
                role: .acceptor, localID: 1, clusterSize: 3, secret: acceptorSecret.flatMap(PeerSecret.init),
                nonce: acceptorNonce)
        )
    }

    /// Runs both sides against each other until neither has anything left to send.
    /// Returns the last step of each side.
    static func exchange(
        _ dialer: inout PeerHandshake, _ acceptor: inout PeerHandshake
    ) -> (dialer: PeerHandshake.Step?, acceptor: PeerHandshake.Step?) {
        var toAcceptor = dialer.opening
        var toDialer: [WireFrame] = []
        var lastDialer: PeerHandshake.Step?
        var lastAcceptor: PeerHandshake.Step?
        func outgoing(_ step: PeerHandshake.Step) -> [WireFrame] {
            switch step {
            case .proceed(let frames), .established(_, let frames): frames
            case .refuse(let reason): [.reject(reason: reason)]
            case .fail: []
            }
        }
        while !toAcceptor.isEmpty || !toDialer.isEmpty {
            for frame in toAcceptor where !acceptor.isFinished {
                let step = acceptor.receive(frame) { _ in nil }
                lastAcceptor = step
                toDialer += outgoing(step)
            }
            toAcceptor = []
            for frame in toDialer where !dialer.isFinished {
                let step = dialer.receive(frame) { _ in nil }
                lastDialer = step
                toAcceptor += outgoing(step)
            }
            toDialer = []
        }
        return (lastDialer, lastAcceptor)
    }

    @Test("without a secret: hello, hello, and both ends are established")
    func plainHandshake() {
        var (dialer, acceptor) = Self.pair(dialerSecret: nil, acceptorSecret: nil)
        #expect(
            dialer.opening == [.hello(PeerHello(vmID: 2, clusterSize: 3, usesSecret: false, nonce: Self.dialerNonce))])
        let (dialerEnd, acceptorEnd) = Self.exchange(&dialer, &acceptor)
        #expect(dialerEnd == .established(peer: 1, send: []))
        guard case .established(2, let sent) = acceptorEnd else {
            Issue.record("acceptor not established: \(String(describing: acceptorEnd))")
            return
        }
        #expect(sent.count == 1)
    }

    @Test("with the same secret both ends prove it and are established; the proofs differ by side")
    func secretHandshake() {
        var (dialer, acceptor) = Self.pair(dialerSecret: "s3cret", acceptorSecret: "s3cret")
        let (dialerEnd, acceptorEnd) = Self.exchange(&dialer, &acceptor)
        guard case .established(1, let dialerSent) = dialerEnd, case .auth(let dialerProof)? = dialerSent.first else {
            Issue.record("dialer not established with an auth frame: \(String(describing: dialerEnd))")
            return
        }
        #expect(acceptorEnd == .established(peer: 2, send: []))
        let secret = PeerSecret("s3cret")!
        let acceptorProof = secret.proof(
            side: .acceptor, prover: 1, verifier: 2, proverNonce: Self.acceptorNonce, verifierNonce: Self.dialerNonce)
        #expect(dialerProof != acceptorProof)
        #expect(
            secret.verify(
                dialerProof, side: .dialer, prover: 2, verifier: 1, proverNonce: Self.dialerNonce,
                verifierNonce: Self.acceptorNonce))
    }

    @Test("a different secret is refused by the side that checks the first proof")
    func wrongSecret() {
        var (dialer, acceptor) = Self.pair(dialerSecret: "one", acceptorSecret: "two")
        let (dialerEnd, acceptorEnd) = Self.exchange(&dialer, &acceptor)
        guard case .refuse(let reason) = dialerEnd else {
            Issue.record("dialer should refuse: \(String(describing: dialerEnd))")
            return
        }
        #expect(reason.contains("PEER_SECRET mismatch"))
        #expect(acceptorEnd == .fail(reason: "peer refused the handshake: \(reason)"))
    }

    @Test("a secret on one side only is refused, naming which side has none")
    func oneSidedSecret() {
        var (dialer, acceptor) = Self.pair(dialerSecret: nil, acceptorSecret: "s3cret")
        let (_, acceptorEnd) = Self.exchange(&dialer, &acceptor)
        #expect(acceptorEnd == .refuse(reason: "VM 1 requires a PEER_SECRET and VM 2 has none"))

        var (dialer2, acceptor2) = Self.pair(dialerSecret: "s3cret", acceptorSecret: nil)
        let (_, acceptorEnd2) = Self.exchange(&dialer2, &acceptor2)
        #expect(acceptorEnd2 == .refuse(reason: "VM 2 uses a PEER_SECRET and VM 1 has none"))
    }

    @Test("a proof replayed from another connection (another nonce) is refused")
    func replayedProof() {
        let secret = PeerSecret("s3cret")!
        var acceptor = PeerHandshake(
            role: .acceptor, localID: 1, clusterSize: 3, secret: secret, nonce: Self.acceptorNonce)
        let hello = PeerHello(vmID: 2, clusterSize: 3, usesSecret: true, nonce: Self.dialerNonce)
        _ = acceptor.receive(.hello(hello)) { _ in nil }
        let oldProof = secret.proof(
            side: .dialer, prover: 2, verifier: 1, proverNonce: Self.dialerNonce,
            verifierNonce: [UInt8](repeating: 0x01, count: WireFrame.nonceLength))
        let step = acceptor.receive(.auth(proof: oldProof)) { _ in nil }
        guard case .refuse(let reason) = step else {
            Issue.record("a replayed proof must be refused: \(step)")
            return
        }
        #expect(reason.contains("PEER_SECRET mismatch"))
    }

    @Test("the acceptor's own proof cannot be reflected back as the dialer's")
    func reflectedProof() {
        let secret = PeerSecret("s3cret")!
        var acceptor = PeerHandshake(
            role: .acceptor, localID: 1, clusterSize: 3, secret: secret, nonce: Self.acceptorNonce)
        let hello = PeerHello(vmID: 2, clusterSize: 3, usesSecret: true, nonce: Self.acceptorNonce)
        guard case .proceed(let sent) = acceptor.receive(.hello(hello), admit: { _ in nil }),
            case .auth(let ownProof)? = sent.last
        else {
            Issue.record("acceptor should answer hello and auth")
            return
        }
        guard case .refuse(let reason) = acceptor.receive(.auth(proof: ownProof), admit: { _ in nil }) else {
            Issue.record("a reflected proof must be refused")
            return
        }
        #expect(reason.contains("PEER_SECRET mismatch"))
    }

    @Test("the side byte alone tells a dialer's proof from an acceptor's (same ids and nonces)")
    func sideBinding() {
        let secret = PeerSecret("s3cret")!
        let dialerProof = secret.proof(
            side: .dialer, prover: 2, verifier: 1, proverNonce: Self.dialerNonce, verifierNonce: Self.acceptorNonce)
        #expect(
            !secret.verify(
                dialerProof, side: .acceptor, prover: 2, verifier: 1, proverNonce: Self.dialerNonce,
                verifierNonce: Self.acceptorNonce))
        #expect(
            secret.verify(
                dialerProof, side: .dialer, prover: 2, verifier: 1, proverNonce: Self.dialerNonce,
                verifierNonce: Self.acceptorNonce))
        #expect(
            !PeerSecret("other")!.verify(
                dialerProof, side: .dialer, prover: 2, verifier: 1, proverNonce: Self.dialerNonce,
                verifierNonce: Self.acceptorNonce))
    }

    @Test("a current-version hello in the short layout (no nonce) is refused")
    func shortCurrentVersionHello() {
        var acceptor = PeerHandshake(
            role: .acceptor, localID: 1, clusterSize: 3, secret: nil, nonce: Self.acceptorNonce)
        let short = PeerHello(vmID: 2, clusterSize: 3, usesSecret: false, nonce: [])
        #expect(
            acceptor.receive(.hello(short)) { _ in nil }
                == .refuse(reason: "a version 3 hello has flags and a nonce (31 bytes); this one has 14"))
    }

    @Test("frames out of order, other versions and refusals by the VM end the handshake")
    func protocolErrors() {
        var acceptor = PeerHandshake(
            role: .acceptor, localID: 1, clusterSize: 3, secret: nil, nonce: Self.acceptorNonce)
        #expect(
            acceptor.receive(.message(sendSeq: 1, clock: 1)) { _ in nil }
                == .fail(reason: "protocol error: expected hello, got message"))
        #expect(acceptor.isFinished)

        var old = PeerHandshake(role: .acceptor, localID: 1, clusterSize: 3, secret: nil, nonce: Self.acceptorNonce)
        let v1 = PeerHello(version: 1, vmID: 2, clusterSize: 3, usesSecret: false, nonce: [])
        #expect(
            old.receive(.hello(v1)) { _ in nil }
                == .refuse(reason: "protocol version 1 is not supported (this VM speaks 3)"))

        var refusing = PeerHandshake(
            role: .acceptor, localID: 1, clusterSize: 3, secret: nil, nonce: Self.acceptorNonce)
        let hello = PeerHello(vmID: 2, clusterSize: 3, usesSecret: false, nonce: Self.dialerNonce)
        #expect(refusing.receive(.hello(hello)) { _ in "no room" } == .refuse(reason: "no room"))

        var secretSide = PeerHandshake(
            role: .acceptor, localID: 1, clusterSize: 3, secret: PeerSecret("s"), nonce: Self.acceptorNonce)
        var proving = hello
        proving.usesSecret = true
        _ = secretSide.receive(.hello(proving)) { _ in nil }
        #expect(
            secretSide.receive(.message(sendSeq: 1, clock: 5)) { _ in nil }
                == .fail(reason: "protocol error: expected auth, got message"))
    }
}
