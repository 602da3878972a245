/// Builds one SVG document. Elements are appended in drawing order; `document(title:)` wraps them
/// in an `<svg>` root (namespace, width, height, view box, sans-serif font) that works both as a
/// standalone `.svg` file and inlined in HTML. All text and attribute values are XML-escaped here.
struct SVGWriter {
    let width: Double
    let height: Double
    private var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Appends `<name attributes/>`, or `<name attributes>text</name>` when `text` is given.
    mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        body += "<" + name + Self.attributeText(attributes)
        if let text {
            body += ">" + Self.escape(text) + "</" + name + ">\n"
        } else {
            body += "/>\n"
        }
    }

    /// Appends a start tag; children follow until the matching `close(_:)`.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        body += "<" + name + Self.attributeText(attributes) + ">\n"
    }

    mutating func close(_ name: String) {
        body += "</" + name + ">\n"
    }

    /// The finished document; `title` becomes its accessible `<title>` (left out when empty).
    func document(title: String) -> String {
        let w = SVGNumber.coordinate(width)
        let h = SVGNumber.coordinate(height)
        var text = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" "
        text += "viewBox=\"0 0 \(w) \(h)\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\">\n"
        if !title.isEmpty { text += "<title>" + Self.escape(title) + "</title>\n" }
        text += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        return text + body + "</svg>\n"
    }

    static func escape(_ text: String) -> String { XMLText.escaped(text) }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.reduce(into: "") { $0 += " " + $1.0 + "=\"" + escape($1.1) + "\"" }
    }
}
