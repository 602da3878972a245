import Testing

@testable import EventLog

/// `LogFileReader.firstNewline` scans eight bytes at a time; it finds the same newline as a byte
/// by byte search, wherever the newline sits in a word and whatever bytes surround it.
@Suite struct LogFileReaderNewlineTests {
    @Test("the first newline of every range of random bytes is the one a byte-by-byte search finds")
    func sameAsByteByByte() {
        var state: UInt64 = 7
        func draw() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<500 {
            let count = Int(draw() % 80)
            // Bytes near '\n' (0x0A), 0x0B, 0x09, 0x8A, 0x00 and 0xFF test the borrow cases.
            let alphabet: [UInt8] = [0x0A, 0x0B, 0x09, 0x8A, 0x00, 0xFF, 0x7B, 0x30]
            let bytes = (0..<count).map { _ in draw() % 6 == 0 ? 0x0A : alphabet[Int(draw() % 8)] }
            bytes.withUnsafeBytes { raw in
                for from in 0...count {
                    let expected = bytes[from...].firstIndex(of: 0x0A)
                    #expect(LogFileReader.firstNewline(in: raw, from: from, to: count) == expected)
                }
            }
        }
    }
}
