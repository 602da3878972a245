import Testing

@testable import EventLog

/// `LogPage`: a `GET /log` answer cut into its lines, byte for byte.
@Suite struct LogPageTests {
    static let first = #"{"seq":1,"vm":2,"type":"start","clock":0,"time":"t","queue":0,"peers":[1,3],"seed":7}"#
    static let second =
        #"{"seq":2,"vm":2,"type":"peer_down","clock":0,"time":"t","queue":0,"peer":3,"reason":"a \"}]{\\ text"}"#

    static func parse(_ text: String) throws -> LogPage {
        try LogPage.parse(Array(text.utf8))
    }

    static func texts(_ page: LogPage) -> [String] {
        page.lines.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("each event is its line byte for byte, arrays and quoted braces inside included")
    func lines() throws {
        let page = try Self.parse(#"{"events":["# + Self.first + "," + Self.second + #"],"next":2}"#)
        #expect(Self.texts(page) == [Self.first, Self.second])
        #expect(page.next == 2)
    }

    @Test("an empty page keeps its next; whitespace and the keys' order do not matter")
    func emptyAndSpaced() throws {
        let empty = try Self.parse(#"{"events":[],"next":17}"#)
        #expect(empty.lines.isEmpty && empty.next == 17)
        let spaced = try Self.parse(" {\n \"next\" : 1 ,\"events\" : [ " + Self.first + " ] }\n")
        #expect(Self.texts(spaced) == [Self.first])
        #expect(spaced.next == 1)
    }

    @Test(
        "what is not a page is an error naming the byte",
        arguments: [
            "", "[]", #"{"events":[]}"#, #"{"next":1}"#, #"{"events":[1],"next":1}"#,
            #"{"events":[{"seq":1],"next":1}"#, #"{"events":[],"next":1,"other":2}"#, #"{"events":[],"next":-1}"#,
            #"{"events":[],"next":1} x"#, #"{"events":[{"a":"b"#, "{\"events\":[{\"a\":\n1}],\"next\":1}",
        ])
    func refusals(text: String) {
        #expect(throws: LogPage.FormatError.self) { try Self.parse(text) }
    }
}
