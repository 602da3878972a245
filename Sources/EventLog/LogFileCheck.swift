import LamportCore
import SystemCalls

/// Decides whether an existing `vm<ID>.jsonl` is VM ID's own event log, which the VM may
/// continue, before a single byte of it is changed (docs/log-format.md, "Whose log is it").
///
/// A file is VM ID's log when it is empty, or when
/// - its first and its last complete line (ended by a newline; blank lines are skipped) parse as
///   event lines (`seq`, `vm`, `type` and `clock`, a known `type`) with `vm` = ID, and
/// - whatever follows the last newline is nothing, or a line cut short by a crash: shorter than
///   `maxLineLength`, the beginning of the line that would come next (`{"seq":<last seq + 1>,"vm":<ID>,"type":"`,
///   as far as it goes) and holding no second `{"seq":`.
///
/// Only the two ends are read, so the check costs the same for any size of log; the lines in
/// between are `vmserver analyze`'s business.
enum LogFileCheck {
    /// No line the VM writes comes near this (a send to all of 999 peers, all dropped, is about 8 KB).
    static let maxLineLength = 64 * 1024

    struct Verdict: Equatable {
        /// `seq` and clock of the last complete line, nil for an empty file (or only a cut line).
        var lastLine: LastLine?
        /// Bytes after the last newline: a line cut short, to be cut off before appending.
        var cutShortBytes: Int
        /// The last complete line, without its newline (empty when there is none).
        var lastLineBytes: [UInt8] = []
    }

    struct LastLine: Equatable {
        var seq: Int
        var clock: Int
    }

    /// Why the file is not this VM's log, for the one-line error.
    struct Refusal: Error, Equatable {
        var reason: String
    }

    /// Inspects the file open on `descriptor` (`size` bytes) without changing it.
    static func inspect(descriptor: FileDescriptor, size: Int, vmID: Int) throws(Refusal) -> Verdict {
        guard size > 0 else { return Verdict(lastLine: nil, cutShortBytes: 0) }
        let windowSize = min(size, 2 * maxLineLength)
        let tail = try read(descriptor, count: windowSize, at: size - windowSize)
        let newline = UInt8(ascii: "\n")
        let lastNewline = tail.lastIndex(of: newline)
        let fragment = tail[(lastNewline.map { $0 + 1 } ?? 0)...]
        let wholeFile = windowSize == size
        guard fragment.count < maxLineLength else {
            // Only the window was read: without a newline in it, the unbroken end may be longer.
            let length = lastNewline == nil && !wholeFile ? "more than \(fragment.count)" : "\(fragment.count)"
            throw Refusal(
                reason: "it ends in \(length) bytes without a line break, more than any line of an event log")
        }
        var last: LogRecord?
        var lastLineBytes: [UInt8] = []
        if let lastNewline {
            // The last complete line that is not blank.
            var end = lastNewline
            while end > 0 && tail[end - 1] == newline { end -= 1 }
            let start = tail[..<end].lastIndex(of: newline).map { $0 + 1 } ?? 0
            guard start > 0 || wholeFile else {
                throw Refusal(reason: "its last line is longer than any line of an event log")
            }
            if start < end {
                last = try eventLine(tail[start..<end], vmID: vmID, which: "last")
                lastLineBytes = Array(tail[start..<end])
            }
        }
        if last != nil {
            let headSize = min(size, maxLineLength)
            let head = try read(descriptor, count: headSize, at: 0)
            let start = head.firstIndex { $0 != newline } ?? head.count
            guard let end = head[start...].firstIndex(of: newline) else {
                throw Refusal(reason: "its first line is longer than any line of an event log")
            }
            _ = try eventLine(head[start..<end], vmID: vmID, which: "first")
        }
        if !fragment.isEmpty {
            try checkCutShort(Array(fragment), seq: (last?.seq ?? 0) + 1, vmID: vmID)
        }
        return Verdict(
            lastLine: last.map { LastLine(seq: $0.seq, clock: $0.clock) }, cutShortBytes: fragment.count,
            lastLineBytes: lastLineBytes)
    }

    /// The bytes after the last newline must be the start of this VM's next line.
    static func checkCutShort(_ fragment: [UInt8], seq: Int, vmID: Int) throws(Refusal) {
        let expected = Array(#"{"seq":\#(seq),"vm":\#(vmID),"type":""#.utf8)
        let common = min(fragment.count, expected.count)
        let marker = Array(#"{"seq":"#.utf8)
        let anotherLine =
            fragment.count > marker.count
            && (1...(fragment.count - marker.count)).contains { Array(fragment[$0..<$0 + marker.count]) == marker }
        guard fragment[..<common] == expected[..<common], !anotherLine else {
            let shown = String(decoding: fragment.prefix(40), as: UTF8.self)
            throw Refusal(
                reason: "it ends in \(fragment.count) bytes without a line break that are not the beginning of "
                    + "VM \(vmID)'s line \(seq) (\(Self.quoted(shown))\(fragment.count > 40 ? "..." : ""))")
        }
    }

    private static func eventLine(_ line: ArraySlice<UInt8>, vmID: Int, which: String) throws(Refusal) -> LogRecord {
        let parsed = Array(line).withUnsafeBytes { raw in
            Result { () throws(LogParseError) in try LogLineParser().parse(raw) }
        }
        let record: LogRecord
        switch parsed {
        case .success(let value): record = value
        case .failure(let error):
            throw Refusal(reason: "its \(which) line is not an event line (\(error.message))")
        }
        guard record.kind != nil else {
            throw Refusal(reason: "its \(which) line is not an event line (unknown type)")
        }
        guard record.vm == vmID else {
            throw Refusal(reason: "its \(which) line is a line of VM \(record.vm)")
        }
        return record
    }

    private static func read(_ descriptor: FileDescriptor, count: Int, at offset: Int) throws(Refusal) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { raw in
                Result { () throws(SystemError) in
                    try descriptor.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[done...]), at: offset + done)
                }
            }
            switch got {
            case .success(let count) where count > 0: done += count
            case .success: throw Refusal(reason: "it cannot be read (short read)")
            case .failure(let error): throw Refusal(reason: "it cannot be read (\(error.reason))")
            }
        }
        return bytes
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
