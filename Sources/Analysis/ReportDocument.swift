import Foundation
import SVGCharts

/// A report as plain content (headings, paragraphs, tables, figures), rendered to Markdown or
/// HTML by the renderers, so both reports always say the same thing.
public struct ReportDocument: Sendable {
    public enum Block: Sendable {
        case heading(String)
        case paragraph(String)
        case table(header: [String], rows: [[String]])
        /// An SVG figure: its file name (for Markdown links) and its markup (inlined in HTML).
        case figure(caption: String, file: String, svg: String)
    }

    public var title: String
    public var blocks: [Block] = []

    public init(title: String) {
        self.title = title
    }

    public mutating func heading(_ text: String) { blocks.append(.heading(text)) }
    public mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    public mutating func table(_ header: [String], _ rows: [[String]]) {
        blocks.append(.table(header: header, rows: rows))
    }
    public mutating func figure(_ caption: String, file: String, svg: String) {
        blocks.append(.figure(caption: caption, file: file, svg: svg))
    }

    /// GitHub-flavoured Markdown; figures link to their SVG files.
    public func markdown() -> String {
        var out = "# \(title)\n"
        for block in blocks {
            switch block {
            case .heading(let text): out += "\n## \(text)\n"
            case .paragraph(let text): out += "\n\(text)\n"
            case .table(let header, let rows):
                out += "\n| " + header.map(markdownCell).joined(separator: " | ") + " |\n"
                out += "|" + header.map { _ in "---|" }.joined() + "\n"
                for row in rows { out += "| " + row.map(markdownCell).joined(separator: " | ") + " |\n" }
            case .figure(let caption, let file, _): out += "\n![\(caption)](\(file))\n"
            }
        }
        return out
    }

    /// One self-contained HTML page: styles inline, figures inlined as SVG (opens without a server).
    /// `appendix` is HTML placed at the end of the body as it is (an interactive section).
    public func html(appendix: String = "") -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
            th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
            figure { margin: 1.5em 0; } figcaption { color: #555; font-size: 0.9em; }
            svg { max-width: 100%; height: auto; }
            </style></head><body>
            <h1>\(escape(title))</h1>

            """
        for block in blocks {
            switch block {
            case .heading(let text): out += "<h2>\(escape(text))</h2>\n"
            case .paragraph(let text): out += "<p>\(escape(text))</p>\n"
            case .table(let header, let rows):
                out += "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
                for row in rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
                out += "</table>\n"
            case .figure(let caption, _, let svg):
                out += "<figure>\(svg)<figcaption>\(escape(caption))</figcaption></figure>\n"
            }
        }
        return out + appendix + "</body></html>\n"
    }

    private func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// HTML needs the same escaping as the SVG text the charts write.
    private func escape(_ text: String) -> String {
        XMLText.escaped(text)
    }
}
