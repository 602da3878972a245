import Testing

@testable import VMService

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
        #expect(settings.clusterPeerIDs == [2, 3])
    }

    @Test func seedSetupVM2() throws {
        let settings = try Self.resolve(["VM_ID": "2", "PORT": "5002", "PEERS": #"{"1": 5001}"#])
        #expect(settings.vmID == 2)
        #expect(settings.peers == [PeerEndpoint(id: 1, host: "127.0.0.1", port: 5001)])
        #expect(settings.clusterPeerIDs == [1, 3])
    }

    @Test func seedSetupVM3() throws {
        let settings = try Self.resolve(["VM_ID": "3", "PORT": "5003", "PEERS": #"{"1": 5001, "2": 5002}"#])
        #expect(
            settings.peers == [
                PeerEndpoint(id: 1, host: "127.0.0.1", port: 5001), PeerEndpoint(id: 2, host: "127.0.0.1", port: 5002),
            ])
        #expect(settings.clusterPeerIDs == [1, 2])
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
        #expect(settings.clusterPeerIDs == [1, 2, 3, 5])
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
        BadCase(["PEERS": #"{"1": 5002}"#], "PEERS"),
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
