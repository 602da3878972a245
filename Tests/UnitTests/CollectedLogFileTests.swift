import Foundation
import Testing

@testable import EventLog

/// `CollectedLogFile`: a copy of a VM's log, appended a page at a time and continued after an
/// interruption without a duplicate or a torn line.
@Suite struct CollectedLogFileTests {
    static func line(_ seq: Int, vm: Int = 2) -> String {
        #"{"seq":\#(seq),"vm":\#(vm),"type":"internal","clock":\#(seq),"time":"2026-11-30T00:00:00.000000Z","queue":0}"#
    }

    static func bytes(_ lines: [String]) -> [ArraySlice<UInt8>] {
        lines.map { ArraySlice(Array($0.utf8)) }
    }

    @Test("lines are appended with their newlines, and a reopened copy continues after its last line")
    func appendAndContinue() throws {
        let directory = EventLogFileTests.temporaryPath("run")
        defer { EventLogFileTests.cleanUp(directory) }
        let file = try CollectedLogFile(directory: directory, vmID: 2)
        #expect(file.lastSeq == 0 && file.lastLine.isEmpty && file.size == 0)
        try file.append(Self.bytes([Self.line(1), Self.line(2)]))
        file.close()
        let path = "\(directory)/vm2.jsonl"
        #expect(try EventLogFileTests.contents(path) == Self.line(1) + "\n" + Self.line(2) + "\n")

        let again = try CollectedLogFile(directory: directory, vmID: 2)
        #expect(again.lastSeq == 2)
        #expect(again.lastLine == Array(Self.line(2).utf8))
        #expect(again.repairedBytes == 0)
        try again.append(Self.bytes([Self.line(3)]))
        again.close()
        #expect(try EventLogFileTests.contents(path) == (1...3).map { Self.line($0) + "\n" }.joined())
    }

    @Test("a line cut short by an interrupted write is cut off, and the copy continues from the line before")
    func cutShortLine() throws {
        let directory = EventLogFileTests.temporaryPath("run")
        defer { EventLogFileTests.cleanUp(directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/vm2.jsonl"
        let torn = String(Self.line(2).prefix(30))
        try (Self.line(1) + "\n" + torn).write(toFile: path, atomically: false, encoding: .utf8)
        let file = try CollectedLogFile(directory: directory, vmID: 2)
        #expect(file.lastSeq == 1)
        #expect(file.repairedBytes == torn.utf8.count)
        try file.append(Self.bytes([Self.line(2)]))
        file.close()
        #expect(try EventLogFileTests.contents(path) == Self.line(1) + "\n" + Self.line(2) + "\n")
    }

    @Test("a line that is not the next one of this VM is refused and nothing is written")
    func refusesGapsAndOtherVMs() throws {
        let directory = EventLogFileTests.temporaryPath("run")
        defer { EventLogFileTests.cleanUp(directory) }
        let file = try CollectedLogFile(directory: directory, vmID: 2)
        try file.append(Self.bytes([Self.line(1)]))
        #expect(throws: CollectedLogFile.AppendError.self) { try file.append(Self.bytes([Self.line(3)])) }
        #expect(throws: CollectedLogFile.AppendError.self) { try file.append(Self.bytes([Self.line(1)])) }
        #expect(throws: CollectedLogFile.AppendError.self) { try file.append(Self.bytes([Self.line(2, vm: 3)])) }
        #expect(throws: CollectedLogFile.AppendError.self) {
            try file.append(Self.bytes([Self.line(2), Self.line(4)]))
        }
        #expect(file.lastSeq == 1)
        file.close()
        #expect(try EventLogFileTests.contents("\(directory)/vm2.jsonl") == Self.line(1) + "\n")
    }

    @Test("another VM's log is refused and left as it is; a copy being written is refused to a second writer")
    func refusals() throws {
        let directory = EventLogFileTests.temporaryPath("run")
        defer { EventLogFileTests.cleanUp(directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let other = Self.line(1, vm: 3) + "\n"
        try other.write(toFile: "\(directory)/vm2.jsonl", atomically: false, encoding: .utf8)
        #expect {
            try CollectedLogFile(directory: directory, vmID: 2)
        } throws: { error in
            "\(error)".contains("is not the event log of VM 2") && "\(error)".contains("collect into another folder")
        }
        #expect(try EventLogFileTests.contents("\(directory)/vm2.jsonl") == other)

        let first = try CollectedLogFile(directory: directory, vmID: 4)
        defer { first.close() }
        #expect {
            try CollectedLogFile(directory: directory, vmID: 4)
        } throws: { error in
            "\(error)".contains("is in use by another process")
        }
    }
}
