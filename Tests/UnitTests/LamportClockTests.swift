import Testing

@testable import LamportCore

@Suite struct LamportClockTests {
    @Test func startsAtZeroByDefault() {
        #expect(LamportClock().value == 0)
        #expect(LamportClock(value: 41).value == 41)
    }

    @Test func tickIncrementsByOne() {
        var clock = LamportClock()
        #expect(clock.tick() == 1)
        #expect(clock.tick() == 2)
        #expect(clock.tick() == 3)
        #expect(clock.value == 3)
    }

    @Test func receiveOfLargerStampJumpsPastIt() {
        var clock = LamportClock(value: 3)
        #expect(clock.receive(stampedWith: 10) == 11)
        #expect(clock.value == 11)
    }

    @Test func receiveOfSmallerStampIncrementsLocalValue() {
        var clock = LamportClock(value: 7)
        #expect(clock.receive(stampedWith: 2) == 8)
        #expect(clock.value == 8)
    }

    @Test func receiveOfEqualStampIncrementsByOne() {
        var clock = LamportClock(value: 5)
        #expect(clock.receive(stampedWith: 5) == 6)
    }

    @Test(arguments: [(0, 0), (0, 9), (9, 0), (4, 4), (100, 99), (99, 100)])
    func receiveIsMaxPlusOne(local: Int, stamp: Int) {
        var clock = LamportClock(value: local)
        let value = clock.receive(stampedWith: stamp)
        #expect(value == max(local, stamp) + 1)
        #expect(value > stamp)
        #expect(value > local)
    }
}
