import Foundation
import Testing

@testable import LamportCore
@testable import Settings
@testable import VMRuntime

@Suite struct VMSettingsTests {
    static let base = ["VM_ID": "1", "PORT": "5001"]

    static func resolve(_ values: [String: String], randomSeed: UInt64 = 1) throws(SettingsError) -> VMSettings {
        try VMSettings.resolve(values, randomSeed: randomSeed)
    }

    /// The error `resolve` throws for `values`, or nil if it accepts them.
    static func error(_ values: [String: String]) -> SettingsError? {
        do {
            _ = try resolve(values)
            return nil
        } catch {
            return error
        }
    }

    // MARK: The seed's setups

    @Test func seedSetupVM1() throws {
        let settings = try Self.resolve(["VM_ID": "1", "PORT": "5001", "PEERS": "{}"])
        #expect(settings.vmID == 1)
        #expect(settings.port == 5001)
        #expect(settings.peers.isEmpty)
        #expect(settings.neighbourIDs == [2, 3])
    }

    @Test func seedSetupVM2() throws {
        let settings = try Self.resolve(["VM_ID": "2", "PORT": "5002", "PEERS": #"{"1": 5001}"#])
        #expect(settings.vmID == 2)
        #expect(settings.peers == [PeerEndpoint(id: 1, host: "127.0.0.1", port: 5001)])
        #expect(settings.neighbourIDs == [1, 3])
    }

    @Test func seedSetupVM3() throws {
        let settings = try Self.resolve(["VM_ID": "3", "PORT": "5003", "PEERS": #"{"1": 5001, "2": 5002}"#])
        #expect(
            settings.peers == [
                PeerEndpoint(id: 1, host: "127.0.0.1", port: 5001), PeerEndpoint(id: 2, host: "127.0.0.1", port: 5002),
            ])
        #expect(settings.neighbourIDs == [1, 2])
    }

    // MARK: Defaults

    @Test func defaults() throws {
        let settings = try Self.resolve(Self.base)
        #expect(settings.peers.isEmpty)
        #expect(settings.totalVMs == 3)
        #expect(settings.maxAction == 10)
        #expect(settings.logDirectory == "./logs")
        #expect(settings.controlPort == 6001)
        #expect(settings.host == "127.0.0.1")
        #expect(settings.controlHost == "127.0.0.1")
        #expect(settings.controlToken == nil)
        #expect(settings.runTime == nil)
        #expect(settings.startupTimeout == 30)
        #expect(settings.tickRateDrawn)
    }

    @Test func emptyValuesCountAsUnset() throws {
        let settings = try Self.resolve(
            Self.base.merging(["PEERS": "", "TICK_RATE": " ", "LOG_DIR": "", "TOTAL_VMS": ""]) { $1 })
        #expect(settings.peers.isEmpty)
        #expect(settings.tickRateDrawn)
        #expect(settings.logDirectory == "./logs")
        #expect(settings.totalVMs == 3)
    }

    @Test func explicitValuesAreUsed() throws {
        let settings = try Self.resolve([
            "VM_ID": "4", "PORT": "7004", "TOTAL_VMS": "5", "MAX_ACTION": "12", "LOG_DIR": "/var/log/vms",
            "HOST": "0.0.0.0", "CONTROL_PORT": "9000", "CONTROL_HOST": "0.0.0.0", "CONTROL_TOKEN": "s3cret",
            "RUN_TIME": "90", "STARTUP_TIMEOUT": "2.5", "SEED": "77", "TICK_RATE": "4",
        ])
        #expect(settings.vmID == 4)
        #expect(settings.totalVMs == 5)
        #expect(settings.neighbourIDs == [1, 2, 3, 5])
        #expect(settings.maxAction == 12)
        #expect(settings.logDirectory == "/var/log/vms")
        #expect(settings.host == "0.0.0.0")
        #expect(settings.controlPort == 9000)
        #expect(settings.controlHost == "0.0.0.0")
        #expect(settings.controlToken == "s3cret")
        #expect(settings.runTime == 90)
        #expect(settings.startupTimeout == 2.5)
        #expect(settings.seed == 77)
        #expect(settings.tickRate == .perSecond(4))
        #expect(!settings.tickRateDrawn)
    }

    @Test func runTimeZeroMeansUntilStopped() throws {
        #expect(try Self.resolve(Self.base.merging(["RUN_TIME": "0"]) { $1 }).runTime == nil)
        #expect(try Self.resolve(Self.base.merging(["RUN_TIME": "1.5"]) { $1 }).runTime == 1.5)
    }

    @Test("SERVE_AFTER_STOP: unset or 0 exits at once; seconds in range; anything else names the setting")
    func serveAfterStop() throws {
        #expect(try Self.resolve(Self.base).serveAfterStop == nil)
        #expect(try Self.resolve(Self.base.merging(["SERVE_AFTER_STOP": "0"]) { $1 }).serveAfterStop == nil)
        #expect(try Self.resolve(Self.base.merging(["SERVE_AFTER_STOP": "90"]) { $1 }).serveAfterStop == 90)
        for bad in ["-1", "x", "31536001"] {
            #expect {
                try Self.resolve(Self.base.merging(["SERVE_AFTER_STOP": bad]) { $1 })
            } throws: { error in
                "\(error)".hasPrefix("invalid SERVE_AFTER_STOP")
            }
        }
    }

    @Test func controlPortZeroIsAllowed() throws {
        #expect(try Self.resolve(Self.base.merging(["CONTROL_PORT": "0"]) { $1 }).controlPort == 0)
    }

    @Test func highPortWithExplicitControlPortIsAccepted() throws {
        let settings = try Self.resolve(["VM_ID": "1", "PORT": "65000", "CONTROL_PORT": "7000"])
        #expect(settings.port == 65000)
        #expect(settings.controlPort == 7000)
    }

    // MARK: Tick rate and seed

    @Test func drawnTickRateIsAnIntegerFromOneToSix() throws {
        var seen = Set<Double>()
        for seed in 0..<200 {
            let settings = try Self.resolve(Self.base.merging(["SEED": String(seed)]) { $1 })
            guard case .perSecond(let rate) = settings.tickRate else {
                Issue.record("drawn rate is not a number: \(settings.tickRate)")
                continue
            }
            #expect((1...6).contains(rate))
            #expect(rate == rate.rounded())
            seen.insert(rate)
        }
        #expect(seen == [1, 2, 3, 4, 5, 6])
    }

    @Test func drawnTickRateIsDeterministicGivenSeed() throws {
        for seed in ["0", "1", "42", "123456789", "9007199254740991"] {
            for vm in ["1", "2", "3"] {
                let values = ["VM_ID": vm, "PORT": "5001", "SEED": seed]
                let first = try Self.resolve(values, randomSeed: 1)
                let second = try Self.resolve(values, randomSeed: 2)
                #expect(first.tickRate == second.tickRate)
                #expect(first.seed == UInt64(seed))
            }
        }
    }

    @Test func unsetSeedUsesTheRandomSeedAndDrawsFromIt() throws {
        let drawn = try Self.resolve(Self.base, randomSeed: 4242)
        #expect(drawn.seed == 4242)
        let explicit = try Self.resolve(Self.base.merging(["SEED": "4242"]) { $1 }, randomSeed: 9)
        #expect(drawn.tickRate == explicit.tickRate)
        // The default randomSeed is usable too.
        let random = try VMSettings.resolve(Self.base)
        #expect(random.seed <= UInt64(Int64.max))
    }

    @Test(arguments: [
        ("max", TickRate.unthrottled), ("MAX", .unthrottled), ("0.5", .perSecond(0.5)), ("6", .perSecond(6)),
        ("100000", .perSecond(100_000)),
    ])
    func tickRateAccepted(text: String, rate: TickRate) throws {
        let settings = try Self.resolve(Self.base.merging(["TICK_RATE": text]) { $1 })
        #expect(settings.tickRate == rate)
        #expect(!settings.tickRateDrawn)
    }

    // MARK: Peers

    @Test func hostAndPortPeers() throws {
        let settings = try Self.resolve([
            "VM_ID": "3", "PORT": "5003", "PEERS": #"{"2": "vm2:5002", "1": "[::1]:5001"}"#,
        ])
        #expect(
            settings.peers == [
                PeerEndpoint(id: 1, host: "::1", port: 5001), PeerEndpoint(id: 2, host: "vm2", port: 5002),
            ])
    }

    // MARK: Bad values

    struct BadCase: Sendable, CustomTestStringConvertible {
        var values: [String: String]
        var setting: String
        var testDescription: String { "\(values.sorted { $0.key < $1.key }) -> \(setting)" }

        init(_ changes: [String: String?], _ setting: String) {
            var values = VMSettingsTests.base
            for (key, value) in changes { values[key] = value }
            self.values = values
            self.setting = setting
        }
    }

    @Test(arguments: [
        BadCase(["PEERS": "not json"], "PEERS"),
        BadCase(["PEERS": "[5002, 5003]"], "PEERS"),
        BadCase(["PEERS": #"{"4": 5004}"#], "PEERS"),
        BadCase(["PEERS": #"{"x": 5002}"#], "PEERS"),
        BadCase(["PEERS": #"{"2": 0}"#], "PEERS"),
        BadCase(["PEERS": #"{"2": "vm2"}"#], "PEERS"),
        BadCase(["TICK_RATE": "0"], "TICK_RATE"),
        BadCase(["TICK_RATE": "-1"], "TICK_RATE"),
        BadCase(["TICK_RATE": "abc"], "TICK_RATE"),
        BadCase(["TICK_RATE": "inf"], "TICK_RATE"),
        BadCase(["TICK_RATE": "nan"], "TICK_RATE"),
        BadCase(["VM_ID": nil], "VM_ID"),
        BadCase(["VM_ID": "0"], "VM_ID"),
        BadCase(["VM_ID": "4"], "VM_ID"),
        BadCase(["VM_ID": "-1"], "VM_ID"),
        BadCase(["VM_ID": "one"], "VM_ID"),
        BadCase(["VM_ID": "6", "TOTAL_VMS": "5", "MAX_ACTION": "10"], "VM_ID"),
        BadCase(["PORT": "0"], "PORT"),
        BadCase(["PORT": "70000"], "PORT"),
        BadCase(["PORT": nil], "PORT"),
        BadCase(["PORT": "http"], "PORT"),
        BadCase(["MAX_ACTION": "2"], "MAX_ACTION"),
        BadCase(["MAX_ACTION": "4", "TOTAL_VMS": "5"], "MAX_ACTION"),
        BadCase(["MAX_ACTION": "0"], "MAX_ACTION"),
        BadCase(["RUN_TIME": "-1"], "RUN_TIME"),
        BadCase(["RUN_TIME": "soon"], "RUN_TIME"),
        BadCase(["STARTUP_TIMEOUT": "0"], "STARTUP_TIMEOUT"),
        BadCase(["STARTUP_TIMEOUT": "-3"], "STARTUP_TIMEOUT"),
        BadCase(["SEED": "abc"], "SEED"),
        BadCase(["SEED": "-1"], "SEED"),
        BadCase(["SEED": "1.5"], "SEED"),
        BadCase(["CONTROL_PORT": "5001"], "CONTROL_PORT"),
        BadCase(["CONTROL_PORT": "70000"], "CONTROL_PORT"),
        BadCase(["PORT": "65000"], "CONTROL_PORT"),
        BadCase(["TOTAL_VMS": "0"], "TOTAL_VMS"),
        // Outside every stated range, including values that once trapped converting to nanoseconds.
        BadCase(["RUN_TIME": "1e10"], "RUN_TIME"),
        BadCase(["RUN_TIME": "1e308"], "RUN_TIME"),
        BadCase(["RUN_TIME": "inf"], "RUN_TIME"),
        BadCase(["RUN_TIME": "-inf"], "RUN_TIME"),
        BadCase(["RUN_TIME": "nan"], "RUN_TIME"),
        BadCase(["RUN_TIME": "31536000.5"], "RUN_TIME"),
        BadCase(["RUN_TIME": "0.0001"], "RUN_TIME"),
        BadCase(["STARTUP_TIMEOUT": "1e10"], "STARTUP_TIMEOUT"),
        BadCase(["STARTUP_TIMEOUT": "1e308"], "STARTUP_TIMEOUT"),
        BadCase(["STARTUP_TIMEOUT": "inf"], "STARTUP_TIMEOUT"),
        BadCase(["STARTUP_TIMEOUT": "nan"], "STARTUP_TIMEOUT"),
        BadCase(["STARTUP_TIMEOUT": "0.0001"], "STARTUP_TIMEOUT"),
        BadCase(["STARTUP_TIMEOUT": "soon"], "STARTUP_TIMEOUT"),
        BadCase(["TICK_RATE": "1e7"], "TICK_RATE"),
        BadCase(["TICK_RATE": "1e308"], "TICK_RATE"),
        BadCase(["TICK_RATE": "-inf"], "TICK_RATE"),
        BadCase(["TICK_RATE": "0.0001"], "TICK_RATE"),
        BadCase(["MAX_ACTION": "1000001"], "MAX_ACTION"),
        BadCase(["MAX_ACTION": "99999999999999999999"], "MAX_ACTION"),
        BadCase(["MAX_ACTION": "1e3"], "MAX_ACTION"),
        BadCase(["MAX_ACTION": "-10"], "MAX_ACTION"),
        BadCase(["SEED": "1e3"], "SEED"),
        BadCase(["SEED": "18446744073709551616"], "SEED"),
        BadCase(["PORT": "99999999999999999999"], "PORT"),
        BadCase(["PORT": "-5001"], "PORT"),
        BadCase(["PORT": "5001.0"], "PORT"),
        BadCase(["CONTROL_PORT": "-1"], "CONTROL_PORT"),
        BadCase(["CONTROL_PORT": "6e3"], "CONTROL_PORT"),
        BadCase(["TOTAL_VMS": "10001", "MAX_ACTION": "20000"], "TOTAL_VMS"),
        BadCase(["TOTAL_VMS": "99999999999999999999"], "TOTAL_VMS"),
        BadCase(["TOTAL_VMS": "3.5"], "TOTAL_VMS"),
        BadCase(["VM_ID": "1.0"], "VM_ID"),
        BadCase(["VM_ID": "99999999999999999999"], "VM_ID"),
        BadCase(["TOTAL_VMS": "11", "MAX_ACTION": "10"], "MAX_ACTION"),
        BadCase(["TOPOLOGY": "star"], "TOPOLOGY"),
        BadCase(["TOPOLOGY": "random:2"], "TOPOLOGY"),
        BadCase(["TOPOLOGY": "random:1", "TOTAL_VMS": "5", "SEED": "1"], "TOPOLOGY"),
        BadCase(["TOPOLOGY": #"{"1": [7]}"#], "TOPOLOGY"),
        BadCase(["TOPOLOGY": "ring", "TOTAL_VMS": "6", "MAX_ACTION": "2"], "MAX_ACTION"),
    ])
    func badValueNamesTheSetting(_ bad: BadCase) throws {
        let error = try #require(Self.error(bad.values))
        #expect(error.setting == bad.setting)
        #expect(error.description.hasPrefix("invalid \(bad.setting): "))
        #expect(!error.message.isEmpty)
        #expect(!error.description.contains("\n"))
    }

    @Test func errorShowsTheRejectedValue() throws {
        let error = try #require(Self.error(Self.base.merging(["TICK_RATE": "abc"]) { $1 }))
        #expect(error.description.contains("abc"))
        let port = try #require(Self.error(["VM_ID": "1", "PORT": "70000"]))
        #expect(port.description.contains("70000"))
    }

    @Test(
        "each range is stated in the error line",
        arguments: [
            ("RUN_TIME", "1e10", "from 0.001 to 31536000"), ("STARTUP_TIMEOUT", "inf", "from 0.001 to 31536000"),
            ("TICK_RATE", "1e7", "from 0.001 to 1000000"),
            ("MAX_ACTION", "1000001", "from 3 (this VM's 2 neighbours + 1) to 1000000"),
            ("SEED", "-1", "from 0 to 9007199254740991"), ("PORT", "0", "from 1 to 65535"),
            ("CONTROL_PORT", "65536", "from 0 to 65535"), ("TOTAL_VMS", "10001", "from 1 to 10000"),
            ("VM_ID", "4", "from 1 to TOTAL_VMS (3)"),
        ])
    func rangeIsStated(setting: String, text: String, range: String) throws {
        let error = try #require(Self.error(Self.base.merging([setting: text]) { $1 }))
        #expect(error.setting == setting)
        #expect(error.message.contains(range), "\(error)")
        #expect(error.message.contains("'\(text)'"), "\(error)")
    }

    @Test("the bounds of each range are accepted")
    func boundsAccepted() throws {
        let low = try Self.resolve(
            Self.base.merging([
                "RUN_TIME": "0.001", "STARTUP_TIMEOUT": "0.001", "TICK_RATE": "0.001", "SEED": "0", "PORT": "1",
                "CONTROL_PORT": "0", "TOTAL_VMS": "1", "MAX_ACTION": "1",
            ]) { $1 })
        #expect(low.runTime == 0.001 && low.startupTimeout == 0.001 && low.tickRate == .perSecond(0.001))
        #expect(low.seed == 0 && low.port == 1 && low.controlPort == 0 && low.totalVMs == 1 && low.maxAction == 1)
        let high = try Self.resolve([
            "VM_ID": "1000", "PORT": "65535", "CONTROL_PORT": "65534", "RUN_TIME": "31536000",
            "STARTUP_TIMEOUT": "31536000", "TICK_RATE": "1000000", "SEED": "9007199254740991", "TOTAL_VMS": "1000",
            "MAX_ACTION": "1000000",
        ])
        #expect(high.runTime == 31_536_000 && high.startupTimeout == 31_536_000)
        #expect(high.tickRate == .perSecond(1_000_000) && high.seed == VMSettings.maximumSeed)
        #expect(high.vmID == 1000 && high.totalVMs == 1000 && high.maxAction == 1_000_000 && high.port == 65535)
    }

    @Test("RUN_TIME and STARTUP_TIMEOUT as TimeAmounts")
    func timeAmounts() throws {
        let settings = try Self.resolve(Self.base.merging(["RUN_TIME": "1.5", "STARTUP_TIMEOUT": "31536000"]) { $1 })
        #expect(settings.runTimeAmount?.nanoseconds == 1_500_000_000)
        #expect(settings.startupTimeoutAmount.nanoseconds == 31_536_000_000_000_000)
        #expect(try Self.resolve(Self.base).runTimeAmount == nil)
    }

    @Test("seconds become nanoseconds without trapping, whatever the value")
    func timeAmountNeverTraps() {
        #expect(NumberSetting.nanoseconds(seconds: 2.5) == 2_500_000_000)
        #expect(NumberSetting.nanoseconds(seconds: 0.001) == 1_000_000)
        #expect(NumberSetting.nanoseconds(seconds: 0) == 0)
        #expect(NumberSetting.nanoseconds(seconds: -1) == 0)
        #expect(NumberSetting.nanoseconds(seconds: .nan) == 0)
        #expect(NumberSetting.nanoseconds(seconds: -.infinity) == 0)
        #expect(NumberSetting.nanoseconds(seconds: 1e10) == .max)
        #expect(NumberSetting.nanoseconds(seconds: 1e308) == .max)
        #expect(NumberSetting.nanoseconds(seconds: .infinity) == .max)
        // Around 2^63 ns, one above Int64.max: the edge that a <= comparison would let through to a trap.
        for seconds in [Double(Int64.max) / 1e9, Double(Int64.max).nextDown / 1e9, Double(Int64.max).nextUp / 1e9] {
            #expect(NumberSetting.nanoseconds(seconds: seconds) > 9_223_372_000_000_000_000)
        }
    }

    @Test("a value with a newline or control characters still makes a one-line error")
    func controlCharactersEscaped() throws {
        let error = try #require(Self.error(Self.base.merging(["RUN_TIME": "1\n2\u{7}"]) { $1 }))
        #expect(!error.description.contains("\n"))
        #expect(error.description.contains(#"'1\n2\u{7}'"#), "\(error)")
    }

    @Test("a very long value is cut in the error line")
    func longValueCut() throws {
        let text = String(repeating: "9", count: 5000)
        let error = try #require(Self.error(Self.base.merging(["PORT": text]) { $1 }))
        #expect(error.description.count < 300, "\(error)")
        #expect(error.description.contains("..."))
    }

    @Test("a SettingsError is one line even when its message is not")
    func multiLineMessageFlattened() {
        let error = SettingsError("PLAN", "first line\n  second line\r\nthird")
        #expect(error.description == "invalid PLAN: first line second line third")
    }

    // MARK: LOG_LEVEL

    @Test(
        "LOG_LEVEL takes swift-log's levels, in any case; info by default",
        arguments: [
            ("trace", "trace"), ("debug", "debug"), ("info", "info"), ("notice", "notice"), ("warning", "warning"),
            ("error", "error"), ("critical", "critical"), ("WARNING", "warning"), (" Debug ", "debug"),
        ])
    func logLevelAccepted(text: String, level: String) throws {
        #expect(try Self.resolve(Self.base.merging(["LOG_LEVEL": text]) { $1 }).logLevel.rawValue == level)
    }

    @Test func logLevelDefaultsToInfo() throws {
        #expect(try Self.resolve(Self.base).logLevel.rawValue == "info")
        #expect(try Self.resolve(Self.base.merging(["LOG_LEVEL": ""]) { $1 }).logLevel.rawValue == "info")
    }

    @Test("an unknown LOG_LEVEL names the setting and lists the levels", arguments: ["verbose", "warn", "5", "all"])
    func logLevelRejected(text: String) throws {
        let error = try #require(Self.error(Self.base.merging(["LOG_LEVEL": text]) { $1 }))
        #expect(
            error.description
                == "invalid LOG_LEVEL: expected one of trace, debug, info, notice, warning, error, critical; got '\(text)'"
        )
    }

    @Test("a CONTROL_TOKEN with control characters cannot be sent in a header, so it is refused")
    func controlTokenWithControlCharacters() throws {
        let error = try #require(Self.error(Self.base.merging(["CONTROL_TOKEN": "abc\ndef"]) { $1 }))
        #expect(error.setting == "CONTROL_TOKEN")
        #expect(!error.description.contains("\n"))
        #expect(try Self.resolve(Self.base.merging(["CONTROL_TOKEN": "s3cret-T0ken/+="]) { $1 }).controlToken != nil)
    }

    // MARK: Every setting, documented and a flag

    /// The package root, found from this file's path (Tests/UnitTests/<file>).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("README's settings table lists exactly the settings VMSettings reads")
    func readmeListsEverySetting() throws {
        let readme = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Settings\n").dropFirst().first)
        let table = section.components(separatedBy: "\n## ")[0]
        let names = table.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            return line.dropFirst(3).split(separator: "`").first.map(String.init)
        }
        #expect(Set(names) == Set(VMSettings.names), "README: \(names)")
        #expect(names.count == VMSettings.names.count, "each once")
    }

    @Test func flagNames() {
        #expect(VMSettings.flag(of: "TICK_RATE") == "--tick-rate")
        #expect(VMSettings.flag(of: "VM_ID") == "--vm-id")
        #expect(VMSettings.flag(of: "LOG_LEVEL") == "--log-level")
    }

    @Test func seedAboveTwoToThe53IsRejected() throws {
        // Seeds are logged as JSON numbers; above 2^53 - 1 jq and JavaScript would round them.
        let error = try #require(Self.error(["VM_ID": "1", "PORT": "5001", "SEED": "9007199254740992"]))
        #expect(error.setting == "SEED")
    }

    @Test func parseTickRateNamesTheGivenSetting() {
        #expect(
            throws: SettingsError(
                "tick_rate", "expected ticks per second, a number from 0.001 to 1000000, or 'max'; got '0'")
        ) {
            try VMSettings.parseTickRate("0", setting: "tick_rate")
        }
    }
}
