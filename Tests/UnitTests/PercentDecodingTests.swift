import Testing

@testable import MicroHTTP

@Suite struct PercentDecodingTests {
    /// Decodes `text` as the server does; returns the result's bytes (up to its NUL) and the length.
    static func decode(_ text: String) -> (bytes: [UInt8], length: Int) {
        var buffer = text.utf8CString
        let length = buffer.withUnsafeMutableBufferPointer { PercentDecoding.decodeInPlace($0.baseAddress!) }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return (bytes, length)
    }

    @Test func decodesLikeLibmicrohttpd() {
        let cases: [(String, [UInt8])] = [
            ("/status", Array("/status".utf8)),
            ("/st%61tus", Array("/status".utf8)),
            ("/a%2Fb%2fc", Array("/a/b/c".utf8)),
            ("%41%42%43", Array("ABC".utf8)),
            ("%C3%A9", [0xC3, 0xA9]),
            ("%ff", [0xFF]),
            ("100%", Array("100%".utf8)),
            ("%2", Array("%2".utf8)),
            ("%zz", Array("%zz".utf8)),
            ("%%41", Array("%A".utf8)),
            ("a+b", Array("a+b".utf8)),
            ("", []),
        ]
        for (text, expected) in cases {
            let (bytes, length) = Self.decode(text)
            #expect(bytes == expected, "\(text)")
            #expect(length == expected.count, "\(text)")
        }
    }

    @Test("%00 is left as it is, so a NUL never cuts the path")
    func keepsNUL() {
        #expect(Self.decode("/status%00x").bytes == Array("/status%00x".utf8))
        #expect(Self.decode("/status%00x").length == 11)
        #expect(Self.decode("5%00").bytes == Array("5%00".utf8))
        #expect(Self.decode("%00%01").bytes == Array("%00".utf8) + [1])
        #expect(Self.decode("%2500").bytes == Array("%00".utf8), "one pass: %25 decodes to %, then 00 stays")
    }
}
