import Crypto

/// The cluster's shared PEER_SECRET, used to prove in the handshake that both ends know it.
///
/// A proof is an HMAC-SHA256, keyed with the secret, over: a label naming the protocol, the
/// prover's side of the connection (dialer or acceptor), the prover's and the verifier's VM ids,
/// then the prover's and the verifier's nonces. The verifier's fresh nonce makes every proof
/// single-use; the side byte keeps one side's proof from being replayed as the other's.
public struct PeerSecret: Sendable {
    /// Which end of a connection proves.
    public enum Side: UInt8, Sendable {
        case dialer = 1
        case acceptor = 2
    }

    private let key: SymmetricKey

    /// A secret from its text (its UTF-8 bytes are the key); nil for an empty text.
    public init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        key = SymmetricKey(data: Array(text.utf8))
    }

    /// The proof that the VM `prover` on `side` knows the secret, for the connection on which it
    /// sent `proverNonce` and received `verifierNonce` from the VM `verifier`.
    public func proof(
        side: Side, prover: Int, verifier: Int, proverNonce: [UInt8], verifierNonce: [UInt8]
    ) -> [UInt8] {
        Array(
            HMAC<SHA256>.authenticationCode(
                for: Self.transcript(side, prover, verifier, proverNonce, verifierNonce), using: key))
    }

    /// Whether `proof` is the right one (compared in constant time).
    public func verify(
        _ proof: [UInt8], side: Side, prover: Int, verifier: Int, proverNonce: [UInt8], verifierNonce: [UInt8]
    ) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(
            proof, authenticating: Self.transcript(side, prover, verifier, proverNonce, verifierNonce), using: key)
    }

    private static func transcript(
        _ side: Side, _ prover: Int, _ verifier: Int, _ proverNonce: [UInt8], _ verifierNonce: [UInt8]
    ) -> [UInt8] {
        var bytes = Array("vmserver peer auth v2".utf8)
        bytes.append(side.rawValue)
        for id in [prover, verifier] {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: id).bigEndian) { bytes.append(contentsOf: $0) }
        }
        bytes.append(contentsOf: proverNonce)
        bytes.append(contentsOf: verifierNonce)
        return bytes
    }
}
