/// Trimming without Foundation, with Foundation's character sets, so settings read as before.
extension StringProtocol {
    /// The text without the spaces and tabs at either end: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` removes (Unicode space separators, U+0009 and
    /// U+200B ZERO WIDTH SPACE). Line breaks stay.
    public func trimmingSpaces() -> String {
        trimming { $0.properties.generalCategory == .spaceSeparator || $0 == "\t" || $0 == "\u{200B}" }
    }

    /// The text without white space at either end, line breaks included: what Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` removes (the Unicode White_Space
    /// characters, and U+200B ZERO WIDTH SPACE).
    public func trimmingWhitespace() -> String {
        trimming { $0.properties.isWhitespace || $0 == "\u{200B}" }
    }

    /// Drops the Unicode scalars (not characters: a combining mark after a space stays) that
    /// `isTrimmed` accepts from both ends.
    private func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = Substring(self).unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isTrimmed(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isTrimmed(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(Substring(scalars[start..<end]))
    }
}
