import Testing

@testable import LamportCore
@testable import Settings

@Suite struct TickRateSpecTests {
    @Test func aListGivesOneRatePerVM() throws {
        let spec = try TickRateSpec.parse("1, 4,max", setting: "--tick-rates")
        #expect(
            try spec.rates(vmCount: 3, seed: 1, setting: "--tick-rates") == [
                .perSecond(1), .perSecond(4), .unthrottled,
            ])
        #expect(throws: SettingsError.self) { try spec.rates(vmCount: 4, seed: 1, setting: "--tick-rates") }
    }

    @Test func aRangeDrawsWholeRatesFromTheSeedAsAVMWithoutTickRateDoes() throws {
        let spec = try TickRateSpec.parse("1-6", setting: "--tick-rates")
        let rates = try spec.rates(vmCount: 500, seed: 42, setting: "--tick-rates")
        var seen = Set<Double>()
        for (index, rate) in rates.enumerated() {
            guard case .perSecond(let value) = rate else {
                Issue.record("VM \(index + 1): \(rate)")
                continue
            }
            #expect((1...6).contains(value) && value == value.rounded())
            seen.insert(value)
            let settings = try VMSettings.resolve([
                "VM_ID": String(index + 1), "PORT": "5001", "TOTAL_VMS": "500", "MAX_ACTION": "600", "SEED": "42",
            ])
            #expect(settings.tickRate == rate, "VM \(index + 1) draws the same without TICK_RATE")
        }
        #expect(seen.count == 6)
        #expect(try spec.rates(vmCount: 500, seed: 42, setting: "--tick-rates") == rates)
    }

    @Test(
        "a bad rate list or range names the flag", arguments: ["", "0-3", "6-1", "1-2000000", "a-b", "1,,2", "1-2-3"])
    func badText(text: String) {
        #expect(throws: SettingsError.self) { try TickRateSpec.parse(text, setting: "--tick-rates") }
    }
}
