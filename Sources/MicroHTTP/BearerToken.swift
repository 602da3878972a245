/// The CONTROL_TOKEN a write must carry as `Authorization: Bearer <token>`.
///
/// The token is compared as UTF-8 bytes, never as Swift strings (which would take canonically
/// equivalent forms, such as a precomposed and a decomposed "é", as equal), and in constant time
/// for equal lengths: every byte is looked at, whatever the first difference, so the answer's
/// timing does not tell how much of a guess was right. (A guess of another length is refused at
/// once; the length is not the secret.) The scheme `Bearer` matches in any case (RFC 9110).
public struct BearerToken: Sendable {
    private let token: [UInt8]

    public init(_ token: String) {
        self.token = Array(token.utf8)
    }

    /// Whether the value of an `Authorization` header carries the token.
    public func isCarried(by authorization: String?) -> Bool {
        guard let authorization else { return false }
        let bytes = Array(authorization.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, bytes[scheme.count] == UInt8(ascii: " ") else { return false }
        for (byte, expected) in zip(bytes, scheme) where byte | 0x20 != expected { return false }
        var start = scheme.count
        while start < bytes.count && bytes[start] == UInt8(ascii: " ") { start += 1 }
        return Self.constantTimeEqual(bytes[start...], token[...])
    }

    /// Whether `a` and `b` hold the same bytes; for equal lengths the time does not depend on
    /// where (or whether) they differ.
    static func constantTimeEqual(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
