import Testing

@testable import VMRuntime

@Suite struct ConfigChangeTests {
    static func parse(_ text: String, minimumMaxAction: Int = 3) throws(ConfigError) -> ConfigChange {
        try ConfigChange.parse(Array(text.utf8), minimumMaxAction: minimumMaxAction)
    }

    /// The message of the error parsing `text` gives (nil if it parses).
    static func message(_ text: String) -> String? {
        message(Array(text.utf8))
    }

    static func message(_ bytes: [UInt8]) -> String? {
        do {
            _ = try ConfigChange.parse(bytes, minimumMaxAction: 3)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func settings() throws {
        #expect(try Self.parse("{}") == ConfigChange())
        #expect(try Self.parse(#"{"tick_rate": 2.5}"#) == ConfigChange(tickRate: .perSecond(2.5)))
        #expect(try Self.parse(#"{"tick_rate": "max"}"#) == ConfigChange(tickRate: .unthrottled))
        #expect(try Self.parse(#"{"tick_rate": "MaX"}"#) == ConfigChange(tickRate: .unthrottled))
        #expect(
            try Self.parse(#"{"tick_rate": 4, "max_action": 12, "paused": true}"#)
                == ConfigChange(tickRate: .perSecond(4), maxAction: 12, paused: true))
    }

    @Test("tick_rate as 1e3, 0.5, 0.001, 1e6; refused beyond its range and for huge exponents")
    func tickRateNumbers() throws {
        #expect(try Self.parse(#"{"tick_rate": 1e3}"#).tickRate == .perSecond(1000))
        #expect(try Self.parse(#"{"tick_rate": 0.5}"#).tickRate == .perSecond(0.5))
        #expect(try Self.parse(#"{"tick_rate": 1E-3}"#).tickRate == .perSecond(0.001))
        #expect(try Self.parse(#"{"tick_rate": 1e6}"#).tickRate == .perSecond(1_000_000))
        for text in ["1e7", "0.0009", "0", "-1", "1e-400", "-0"] {
            #expect(Self.message(#"{"tick_rate": \#(text)}"#)?.hasPrefix("tick_rate: expected") == true, "\(text)")
        }
        #expect(
            Self.message(#"{"tick_rate": 1e400}"#)
                == "tick_rate: invalid JSON at offset 14: a number out of range (beyond +-1.8e308)")
        #expect(Self.message(#"{"tick_rate": 1e99999999999}"#)?.hasPrefix("tick_rate: invalid JSON") == true)
        #expect(Self.message(#"{"tick_rate": "maxx"}"#)?.hasPrefix("tick_rate: expected") == true)
        #expect(Self.message(#"{"tick_rate": "m\u0061x"}"#) == nil, "escapes are resolved before the check")
    }

    @Test func maxAction() throws {
        #expect(try Self.parse(#"{"max_action": 1e1}"#).maxAction == 10)
        #expect(try Self.parse(#"{"max_action": 3}"#).maxAction == 3)
        #expect(try Self.parse(#"{"max_action": 1000000}"#).maxAction == 1_000_000)
        for text in ["2", "4.5", "1000001", "1e300", "\"5\"", "null"] {
            #expect(
                Self.message(#"{"max_action": \#(text)}"#)?.hasPrefix("max_action: expected an integer >= 3") == true)
        }
    }

    @Test("the nested-array bomb, duplicates and trailing commas are refused with a message naming them")
    func badJSON() {
        let bomb = Self.message(JSONBodyParserTests.nestedArrayBomb())
        #expect(bomb?.contains("nested deeper than 16 levels") == true, "\(String(describing: bomb))")
        #expect(bomb?.hasPrefix("x[0]") == true, "\(String(describing: bomb))")
        #expect(
            Self.message(#"{"paused": true, "paused": false}"#)
                == "invalid JSON at offset 17: duplicate key 'paused'")
        #expect(Self.message(#"{"paused": true,}"#)?.contains("trailing commas are not JSON") == true)
        #expect(Self.message("")?.contains("empty") == true)
        #expect(Self.message("[1]") == #"the body must be a JSON object, e.g. {"tick_rate": 2}; it is an array"#)
        #expect(Self.message(#""x""#)?.contains("it is a string") == true)
        #expect(
            Self.message([
                UInt8(ascii: "{"), UInt8(ascii: "\""), 0xFF, UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: "1"),
                UInt8(ascii: "}"),
            ])?.contains("not UTF-8") == true)
    }

    @Test("keys match byte for byte; unknown ones are named, long ones shortened")
    func keys() {
        #expect(Self.message(#"{"speed": 1}"#) == "unknown setting 'speed'; settable: tick_rate, max_action, paused")
        // "paused" with a combining mark on the e is another key, not "paused".
        #expect(Self.message("{\"pause\u{301}d\": true}")?.hasPrefix("unknown setting") == true)
        let long = String(repeating: "k", count: 5000)
        let message = Self.message(#"{"\#(long)": 1}"#) ?? ""
        #expect(message.count < 200, "\(message.count) characters")
        #expect(message.contains(String(repeating: "k", count: 40) + "..."))
    }
}
