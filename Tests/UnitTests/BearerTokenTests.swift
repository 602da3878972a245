import Testing

@testable import MicroHTTP

@Suite struct BearerTokenTests {
    @Test func carried() {
        let token = BearerToken("s3cret")
        #expect(token.isCarried(by: "Bearer s3cret"))
        #expect(token.isCarried(by: "bearer s3cret"), "the scheme matches in any case")
        #expect(token.isCarried(by: "BEARER   s3cret"))
        for refused in [
            nil, "", "Bearer", "Bearer ", "s3cret", "Bearer s3cre", "Bearer s3cretx", "Bearer S3CRET", "Basic s3cret",
            "Bearers3cret", "Bearer\ts3cret", "Bearerx s3cret",
        ] {
            #expect(!token.isCarried(by: refused), "\(String(describing: refused))")
        }
    }

    @Test("a canonically equivalent but byte-different token is refused")
    func bytesNotCharacters() {
        let precomposed = "t\u{E9}st"  // é as one scalar (NFC)
        let decomposed = "te\u{301}st"  // e + combining acute (NFD)
        #expect(precomposed == decomposed, "Swift strings take them as equal")
        #expect(BearerToken(precomposed).isCarried(by: "Bearer \(precomposed)"))
        #expect(!BearerToken(precomposed).isCarried(by: "Bearer \(decomposed)"))
        #expect(!BearerToken(decomposed).isCarried(by: "Bearer \(precomposed)"))
        #expect(!BearerToken("\u{212B}").isCarried(by: "Bearer \u{C5}"), "the Angstrom sign is not Å")
    }

    @Test func constantTimeEqual() {
        let a: [UInt8] = [1, 2, 3, 4]
        #expect(BearerToken.constantTimeEqual(a[...], [1, 2, 3, 4][...]))
        #expect(!BearerToken.constantTimeEqual(a[...], [1, 2, 3, 5][...]))
        #expect(!BearerToken.constantTimeEqual(a[...], [0, 2, 3, 4][...]))
        #expect(!BearerToken.constantTimeEqual(a[...], [1, 2, 3][...]))
        #expect(BearerToken.constantTimeEqual([][...], [][...]))
        #expect(BearerToken.constantTimeEqual(a[1...], [2, 3, 4][...]), "slices compare from their own start")
    }
}
