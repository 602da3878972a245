import Foundation
import Testing

@testable import EventLog
@testable import LamportCore

@Suite struct EventLogFileTests {
    /// A fresh folder under the system's temporary directory (not created).
    static func temporaryPath(_ components: String...) -> String {
        var url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "EventLogFileTests-\(UUID().uuidString)")
        for component in components { url.appendPathComponent(component) }
        return url.path
    }

    static func event(_ seq: Int, clock: Int? = nil, kind: EventKind = .internalEvent, vm: Int = 1) -> VMEvent {
        VMEvent(seq: seq, vm: vm, kind: kind, clock: clock ?? seq, queue: 0)
    }

    static func contents(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    static func lines(_ path: String) throws -> [[String: Any]] {
        try contents(path).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any])
        }
    }

    static func cleanUp(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test func createsMissingFoldersAndTheFile() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let directory = root + "/a/b/c"
        let log = try EventLogFile(directory: directory, vmID: 3)
        #expect(log.path == directory + "/vm3.jsonl")
        #expect(log.lastLine == nil)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(FileManager.default.fileExists(atPath: log.path))
        log.close()
        #expect(try Self.contents(log.path).isEmpty)
    }

    @Test func directoryWithTrailingSlash() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let log = try EventLogFile(directory: root + "/logs/", vmID: 2)
        #expect(log.path == root + "/logs/vm2.jsonl")
        log.append(Self.event(1))
        log.close()
        #expect(try Self.lines(log.path).count == 1)
    }

    @Test func appendedLinesAreReadableAfterFlushAndClose() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let log = try EventLogFile(directory: root, vmID: 1)
        let time = WallTime(microseconds: 1_780_000_000_123_456)
        log.append(Self.event(1), at: time)
        log.append(Self.event(2), at: time)
        log.flush()
        var lines = try Self.lines(log.path)
        #expect(lines.map { $0["seq"] as? Int } == [1, 2])
        #expect(lines.first?["time"] as? String == "2026-05-28T20:26:40.123456Z")

        log.append(Self.event(3), at: time)
        log.close()
        lines = try Self.lines(log.path)
        #expect(lines.map { $0["seq"] as? Int } == [1, 2, 3])
        #expect(try Self.contents(log.path).hasSuffix("\n"))
        var encoder = EventLineEncoder()
        #expect(try Self.contents(log.path).hasPrefix(encoder.line(Self.event(1), at: time)))
    }

    @Test func writesOnceTheBufferIsFull() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let log = try EventLogFile(directory: root, vmID: 1, flushThreshold: 1)
        log.append(Self.event(1))
        // No flush: the threshold was reached, so the line is already in the file.
        #expect(try Self.lines(log.path).count == 1)
        log.close()
    }

    @Test func manyLinesAreAllWritten() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let log = try EventLogFile(directory: root, vmID: 1, flushThreshold: 4096)
        for seq in 1...20_000 { log.append(Self.event(seq)) }
        log.close()
        let text = try Self.contents(log.path)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 20_000)
        #expect(lines.last?.hasPrefix(#"{"seq":20000,"#) == true)
    }

    @Test func closeTwiceIsHarmless() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let log = try EventLogFile(directory: root, vmID: 1)
        log.append(Self.event(1))
        log.close()
        log.close()
        log.flush()
        #expect(try Self.lines(log.path).count == 1)
    }

    @Test func reopeningReportsTheLastLineAndAppends() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let first = try EventLogFile(directory: root, vmID: 4)
        first.append(Self.event(1, clock: 0, kind: .start, vm: 4))
        first.append(Self.event(2, clock: 1, vm: 4))
        first.append(Self.event(3, clock: 9, kind: .receive, vm: 4))
        first.append(Self.event(4, clock: 9, kind: .stop, vm: 4))
        first.close()

        let second = try EventLogFile(directory: root, vmID: 4)
        let last = try #require(second.lastLine)
        #expect(last.seq == 4)
        #expect(last.clock == 9)
        second.append(Self.event(5, clock: 9, kind: .start, vm: 4))
        second.close()
        #expect(try Self.lines(second.path).map { $0["seq"] as? Int } == [1, 2, 3, 4, 5])

        // A different VM in the same folder has its own file.
        let other = try EventLogFile(directory: root, vmID: 5)
        #expect(other.lastLine == nil)
        other.close()
    }

    @Test func reopeningCutsOffAFinalPartialLine() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/vm1.jsonl"
        let text =
            #"{"seq":1,"vm":1,"type":"start","clock":0,"time":"2026-05-28T20:26:40.000000Z","queue":0}"# + "\n"
            + #"{"seq":2,"vm":1,"type":"send","clock":5,"time":"2026-05-28T20:26:40.000001Z","queue":0,"to":[2],"send_seq":1}"#
            + "\n" + #"{"seq":3,"vm":1,"type":"internal","clock":6,"ti"#
        try text.write(toFile: path, atomically: false, encoding: .utf8)

        let log = try EventLogFile(directory: root, vmID: 1)
        let last = try #require(log.lastLine)
        #expect(last.seq == 2)
        #expect(last.clock == 5)
        log.append(Self.event(3, clock: 6))
        log.close()

        // The cut line (an event never completely logged) is gone; the new line takes its place,
        // so every line of the file parses.
        let lines = try Self.contents(path).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(lines[2].hasPrefix(#"{"seq":3,"vm":1,"type":"internal","clock":6,"time":"#))
        #expect(lines[3].isEmpty)
        #expect((try? JSONSerialization.jsonObject(with: Data(lines[2].utf8))) != nil)
    }

    @Test func aFileHoldingOnlyAPartialLineHasNoLastLine() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try #"{"seq":1,"vm":1,"ty"#.write(toFile: root + "/vm1.jsonl", atomically: false, encoding: .utf8)
        let log = try EventLogFile(directory: root, vmID: 1)
        #expect(log.lastLine == nil)
        log.close()
        #expect(try Self.contents(root + "/vm1.jsonl").isEmpty)
    }

    /// Writes `bytes` as `root/vm<vmID>.jsonl`, tries to open it as VM `vmID`'s log, and checks
    /// that it was refused with one line naming the file, and left byte for byte as it was.
    static func expectRefused(
        _ bytes: [UInt8], vmID: Int = 1, reason: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let root = temporaryPath()
        defer { cleanUp(root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/vm\(vmID).jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            let log = try EventLogFile(directory: root, vmID: vmID)
            log.close()
            Issue.record("\(path) should have been refused", sourceLocation: sourceLocation)
        } catch let error as EventLogError {
            #expect(
                error.description.hasPrefix(path + " is not the event log of VM \(vmID): "),
                sourceLocation: sourceLocation)
            #expect(error.description.contains(reason), "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(bytes), sourceLocation: sourceLocation)
    }

    static func line(_ seq: Int, vm: Int = 1, kind: String = "internal", clock: Int? = nil) -> String {
        #"{"seq":\#(seq),"vm":\#(vm),"type":"\#(kind)","clock":\#(clock ?? seq),"time":"2026-05-28T20:26:40.000000Z","queue":0}"#
            + "\n"
    }

    @Test("a 300 KB file without a line break is refused and left as it was")
    func refusesALongFileWithoutNewlines() throws {
        var bytes = Array(Self.line(1).utf8.dropLast())
        while bytes.count < 300_000 { bytes += Array(Self.line(bytes.count).utf8.dropLast()) }
        try Self.expectRefused(
            bytes, reason: "it ends in more than 131072 bytes without a line break, more than any line of an event log")
        try Self.expectRefused(
            Array((Self.line(1) + String(repeating: "b", count: 70_000)).utf8),
            reason: "it ends in 70000 bytes without a line break")
        try Self.expectRefused(
            [UInt8](repeating: UInt8(ascii: "x"), count: 300_000), reason: "without a line break")
    }

    @Test("another VM's log is refused and left as it was")
    func refusesAnotherVMsLog() throws {
        let other = (1...50).map { Self.line($0, vm: 2) }.joined()
        try Self.expectRefused(Array(other.utf8), vmID: 1, reason: "its last line is a line of VM 2")
        // Its own lines followed by another VM's, or the other way round.
        let ownThenOther = Self.line(1) + Self.line(2) + Self.line(1, vm: 3)
        try Self.expectRefused(Array(ownThenOther.utf8), reason: "its last line is a line of VM 3")
        let otherThenOwn = Self.line(1, vm: 3) + Self.line(1) + Self.line(2)
        try Self.expectRefused(Array(otherThenOwn.utf8), reason: "its first line is a line of VM 3")
    }

    @Test("a text file that is not JSON lines is refused and left as it was")
    func refusesText() throws {
        try Self.expectRefused(Array("# notes\nnothing to see\n".utf8), reason: "its last line is not an event line")
        try Self.expectRefused(
            Array(#"{"name":"x","value":1}"#.utf8) + [10], reason: "its last line is not an event line")
        try Self.expectRefused(
            Array((#"{"seq":1,"vm":1,"type":"lunch","clock":1}"# + "\n").utf8), reason: "unknown type")
        try Self.expectRefused(Array("plain text\n".utf8) + Array(Self.line(1).utf8), reason: "its first line")
    }

    @Test("bytes after the last line break that are not the start of the next line are refused")
    func refusesAForeignEnd() throws {
        let lines = Self.line(1) + Self.line(2)
        try Self.expectRefused(Array((lines + #"{"seq":7,"vm":1,"ty"#).utf8), reason: "VM 1's line 3")
        try Self.expectRefused(Array((lines + #"{"seq":3,"vm":2,"ty"#).utf8), reason: "VM 1's line 3")
        try Self.expectRefused(Array((lines + "hello").utf8), reason: "\"hello\"")
        // Two lines glued together without their line break are not one line cut short.
        let glued = String(Self.line(3).dropLast()) + String(Self.line(4).dropLast())
        try Self.expectRefused(Array((lines + glued).utf8), reason: "VM 1's line 3")
    }

    @Test(
        "the start of the next line, cut anywhere, is a crash's cut line: accepted and cut off",
        arguments: [1, 2, 7, 9, 15, 20, 29, 40, 60])
    func acceptsACutLineAnywhere(length: Int) throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/vm1.jsonl"
        let lines = Self.line(1) + Self.line(2, clock: 5)
        try (lines + String(Self.line(3).prefix(length))).write(toFile: path, atomically: false, encoding: .utf8)
        let log = try EventLogFile(directory: root, vmID: 1)
        #expect(log.lastLine?.seq == 2)
        #expect(log.lastLine?.clock == 5)
        log.close()
        #expect(try Self.contents(path) == lines)
    }

    @Test("an empty file, or one of blank lines, is a log without lines")
    func emptyFiles() throws {
        for text in ["", "\n\n"] {
            let root = Self.temporaryPath()
            defer { Self.cleanUp(root) }
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try text.write(toFile: root + "/vm1.jsonl", atomically: false, encoding: .utf8)
            let log = try EventLogFile(directory: root, vmID: 1)
            #expect(log.lastLine == nil)
            log.close()
        }
    }

    @Test("a second writer of the same log is refused before it changes a byte; the first writes on")
    func secondWriterIsRefused() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let first = try EventLogFile(directory: root, vmID: 2)
        first.append(Self.event(1, vm: 2))
        first.flush()
        // A cut line at the end: the second writer must not even repair it.
        let handle = try #require(FileHandle(forWritingAtPath: first.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"seq":2,"vm":2,"#.utf8))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: first.path))
        do {
            _ = try EventLogFile(directory: root, vmID: 2)
            Issue.record("the second writer should be refused")
        } catch let error as EventLogError {
            #expect(error.description.hasPrefix(first.path + " is in use by another running vmserver"), "\(error)")
            #expect(error.description.contains("VM_ID 2"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: first.path)) == before)
        first.close()
        // Once the first has closed it, the log can be opened again (and the cut line goes).
        let third = try EventLogFile(directory: root, vmID: 2)
        #expect(third.lastLine?.seq == 1)
        third.close()
    }

    @Test func lastLineOfALargeFile() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let first = try EventLogFile(directory: root, vmID: 1)
        for seq in 1...5000 { first.append(Self.event(seq, clock: seq * 2)) }
        first.close()
        let second = try EventLogFile(directory: root, vmID: 1)
        #expect(second.lastLine?.seq == 5000)
        #expect(second.lastLine?.clock == 10_000)
        second.close()
    }

    @Test func lastLineWhenTheLastLineIsLong() throws {
        // TOTAL_VMS may be up to 1000: a send to all with every peer down lists 999 ids twice,
        // a line of about 8 KB. Reopening must still find its seq and clock.
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        let first = try EventLogFile(directory: root, vmID: 1)
        first.append(Self.event(1, clock: 0, kind: .start))
        first.append(Self.event(2, clock: 1))
        let peers = Array(2...1000)
        first.append(VMEvent(seq: 3, vm: 1, kind: .send, clock: 2, queue: 0, to: peers, dropped: peers))
        first.close()
        #expect(try Self.contents(first.path).utf8.count > 8000)

        let second = try EventLogFile(directory: root, vmID: 1)
        #expect(second.lastLine?.seq == 3)
        #expect(second.lastLine?.clock == 2)
        second.close()
    }

    @Test func folderUnderARegularFileThrows() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let file = root + "/not-a-folder"
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(throws: EventLogError.self) { try EventLogFile(directory: file + "/logs", vmID: 1) }
        do {
            _ = try EventLogFile(directory: file + "/logs", vmID: 1)
        } catch let error as EventLogError {
            #expect(error.description.contains("not-a-folder"))
        }
    }

    @Test func aRegularFileAsTheFolderThrows() throws {
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let file = root + "/plain"
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(throws: EventLogError.self) { try EventLogFile(directory: file, vmID: 1) }
    }

    @Test func impossibleFolderThrows() {
        #expect(throws: EventLogError.self) { try EventLogFile(directory: "/proc/version/logs", vmID: 1) }
        #expect(throws: EventLogError.self) { try EventLogFile(directory: "", vmID: 1) }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func aFailedWriteIsReported() throws {
        // /dev/full fails every write with "No space left on device", like a full disk.
        let root = Self.temporaryPath()
        defer { Self.cleanUp(root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/vm1.jsonl", withDestinationPath: "/dev/full")
        let log = try EventLogFile(directory: root, vmID: 1)
        #expect(log.writeError == nil)
        log.append(Self.event(1))
        log.flush()
        let error = try #require(log.writeError)
        #expect(error.description.contains("vm1.jsonl"))
        #expect(error.description.lowercased().contains("space"))
    }
}
