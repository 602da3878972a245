import Testing

@testable import LamportCore
@testable import Settings

@Suite struct TickRateTests {
    @Test func logValues() {
        #expect(TickRate.perSecond(4).logValue == .int(4))
        #expect(TickRate.perSecond(2.5).logValue == .double(2.5))
        #expect(TickRate.perSecond(0.25).logValue == .double(0.25))
        #expect(TickRate.unthrottled.logValue == .string("max"))
    }

    @Test func descriptions() {
        #expect(TickRate.perSecond(6).description == "6")
        #expect(TickRate.perSecond(0.5).description == "0.5")
        #expect(TickRate.unthrottled.description == "max")
        #expect(TickRate.perSecond(1e20).description == "1e+20")
    }

    @Test func tuningDefaults() {
        let tuning = VMTuning(tickRate: .perSecond(3))
        #expect(tuning.maxAction == 10)
        #expect(!tuning.paused)
    }

    @Test func hugeRatesAreRejectedAndLoggable() throws {
        // Above 1,000,000 ticks/s the user means 'max'; the setting says so instead of trapping later.
        #expect(throws: SettingsError.self) {
            try VMSettings.resolve(["VM_ID": "1", "PORT": "5001", "TICK_RATE": "1e20"])
        }
        let settings = try VMSettings.resolve(["VM_ID": "1", "PORT": "5001", "TICK_RATE": "1000000"])
        #expect(settings.tickRate.logValue == .int(1_000_000))
        #expect(TickRate.perSecond(1e20).logValue == .double(1e20))
    }
}
