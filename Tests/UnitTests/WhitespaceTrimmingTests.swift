import Foundation
import Testing

@testable import Settings

/// The settings' trimming matches Foundation's, which the settings used before.
@Suite struct WhitespaceTrimmingTests {
    static let samples = [
        "", " ", "5001", " 5001 ", "\t5001\t", "5001\n", "\n5001", " \r\n ", "\u{00A0}5\u{3000}", "\u{200B}x\u{200B}",
        "\u{2028}x\u{2029}", "\u{0085}x\u{000B}", " \u{301}x", "a b", "\u{1680}\u{202F}x\u{205F}",
    ]

    @Test(arguments: samples)
    func spacesAsFoundation(text: String) {
        #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
        #expect(text[...].trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: samples)
    func whitespaceAsFoundation(text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
