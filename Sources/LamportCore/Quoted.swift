/// `text` in single quotes for an error line: control characters (a newline would split the line)
/// escaped, and long values cut to their first 60 characters.
public func quoted(_ text: String) -> String {
    var shown = ""
    var count = 0
    for character in text.unicodeScalars {
        if count == 60 {
            shown += "..."
            break
        }
        count += 1
        switch character {
        case "\n": shown += "\\n"
        case "\r": shown += "\\r"
        case "\t": shown += "\\t"
        case _ where character.properties.generalCategory == .control:
            shown += "\\u{\(String(character.value, radix: 16))}"
        default: shown.unicodeScalars.append(character)
        }
    }
    return "'\(shown)'"
}
