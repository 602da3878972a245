import Foundation
import Testing

@testable import VMService

@Suite struct EventLogFileTests {
    /// A fresh folder under the system's temporary directory (not created).
    static func temporaryPath(_ components: String...) -> String {
        var url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "EventLogFileTests-\(UUID().uuidString)")
        for component in components { url.appendPathComponent(component) }
        return url.path
    }

    static func event(_ seq: Int, clock: Int? = nil, kind: EventKind = .internalEvent) -> VMEvent {
        VMEvent(seq: seq, vm: 1, kind: kind, clock: clock ?? seq, queue: 0)
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
        first.append(Self.event(1, clock: 0, kind: .start))
        first.append(Self.event(2, clock: 1))
        first.append(Self.event(3, clock: 9, kind: .receive))
        first.append(Self.event(4, clock: 9, kind: .stop))
        first.close()

        let second = try EventLogFile(directory: root, vmID: 4)
        let last = try #require(second.lastLine)
        #expect(last.seq == 4)
        #expect(last.clock == 9)
        second.append(Self.event(5, clock: 9, kind: .start))
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
