import Testing

@testable import Analysis

/// `WaitingCopies` answers as the filtered list of recipients it replaces would: the same first
/// match, the same order after removals, duplicates included, below and beyond 64 recipients.
@Suite struct WaitingCopiesTests {
    @Test("find, remove and list give what a filtered array gives, for 5, 64 and 150 recipients")
    func behavesLikeTheFilteredList() {
        var state: UInt64 = 11
        func draw(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for count in [0, 1, 5, 63, 64, 65, 150] {
            // Recipient ids repeat (a broken log can name one twice).
            let to = (0..<count).map { _ in draw(max(count / 2, 1)) + 1 }
            let skipped = Set((0..<count / 4).map { _ in draw(max(count / 2, 1)) + 1 })
            var list = to.filter { !skipped.contains($0) }
            var copies = WaitingCopies(to: to) { !skipped.contains($0) }
            var all = WaitingCopies(all: to)
            #expect(all.recipients == to)
            for _ in 0..<(2 * count + 2) {
                #expect(copies.recipients == list)
                #expect(copies.isEmpty == list.isEmpty)
                let recipient = draw(max(count / 2, 1)) + 1
                #expect(copies.contains(recipient) == list.contains(recipient))
                guard let listIndex = list.firstIndex(of: recipient) else {
                    #expect(copies.firstIndex(of: recipient) == nil)
                    continue
                }
                let position = copies.firstIndex(of: recipient)
                #expect(position.map { to[$0] } == recipient)
                list.remove(at: listIndex)
                copies.remove(at: position!)
            }
            while let first = all.recipients.first, let position = all.firstIndex(of: first) {
                all.remove(at: position)
            }
            #expect(all.isEmpty)
        }
    }
}
