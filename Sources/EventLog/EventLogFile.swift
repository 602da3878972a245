import LamportCore
import SystemCalls

/// An error opening or writing the event log, worded for the person running the VM.
public struct EventLogError: Error, CustomStringConvertible {
    public var description: String
}

/// The event log file of one VM, `LOG_DIR/vm<ID>.jsonl`, written through a buffer.
///
/// Lines are appended: a VM restarted on the same LOG_DIR continues its own log, and its core
/// carries on with the `seq` and clock found on the last line (see `lastLine`), so one file holds
/// the VM's whole history without gaps. Writes go straight to the file descriptor in large chunks;
/// a plain `write(2)` to a local file costs microseconds, less than a hop to another thread.
/// Not thread-safe: one owner (the VM's event loop) uses it.
public final class EventLogFile {
    public let path: String
    /// Nil once closed.
    private var descriptor: FileDescriptor?
    private var buffer: [UInt8] = []
    private var encoder = EventLineEncoder()
    /// Flush once this many bytes are buffered.
    private let flushThreshold: Int

    /// The `seq` and clock of the last complete line already in the file, if any.
    public let lastLine: (seq: Int, clock: Int)?
    /// Recent lines for the control plane's `GET /log`, fed on every flush (unless the file was
    /// opened with a `recentCapacity` of 0).
    public let recent: RecentLog
    /// Whether flushes feed `recent` (and so whether line starts are noted at all).
    private let feedsRecent: Bool
    /// Offset in `buffer` where each buffered line starts, and the seq of the first one.
    private var lineStarts: [Int] = []
    private var bufferFirstSeq = 0
    /// Bytes in the file before the buffer's first line (all complete lines).
    private var fileSize = 0
    /// Bytes at the start of `buffer` already written (after a failed write; 0 otherwise).
    private var written = 0

    /// Opens (creating the folder and file if needed) `directory/vm<vmID>.jsonl` for appending.
    ///
    /// First takes an exclusive lock on the file (held while it is open), so a second process with
    /// the same VM_ID and LOG_DIR is refused before it writes or cuts anything; then checks that
    /// the file is this VM's own log (`LogFileCheck`) and only then cuts off a line a crash left
    /// unfinished. Throws an `EventLogError` naming the path and the reason when the file cannot
    /// be used; the file is then left exactly as it was.
    /// - Parameters:
    ///   - flushThreshold: bytes buffered before they are written out; the buffer holds at most
    ///     that plus one line.
    ///   - recentCapacity, recentByteBudget: how many recent lines (at most) `recent` keeps in memory.
    ///     A capacity of 0 keeps none and never feeds `recent` (which then serves no line): for a
    ///     writer without a control plane, such as the simulator's thousands of logs.
    public init(
        directory: String, vmID: Int, flushThreshold: Int = 64 * 1024, recentCapacity: Int = 10_000,
        recentByteBudget: Int = 1 << 20
    ) throws {
        try Self.makeDirectory(directory)
        path = LogFileName.path(vmID: vmID, in: directory)
        let opened = try Self.open(path: path, vmID: vmID)
        descriptor = opened.descriptor
        lastLine = opened.lastLine
        fileSize = opened.fileSize
        self.flushThreshold = flushThreshold
        buffer.reserveCapacity(flushThreshold + min(4096, flushThreshold))
        feedsRecent = recentCapacity > 0
        recent = RecentLog(
            path: path, fileSize: fileSize, lastSeq: lastLine?.seq ?? 0, capacity: recentCapacity,
            byteBudget: recentByteBudget)
    }

    struct Opened {
        var descriptor: FileDescriptor
        var lastLine: (seq: Int, clock: Int)?
        var fileSize: Int
        /// The last complete line, without its newline (empty when there is none).
        var lastLineBytes: [UInt8]
        /// Bytes of a line cut short that were cut off.
        var repairedBytes: Int
    }

    /// Opens, locks, checks and repairs the log; closes it again on any failure. `inUse` is the
    /// error line when another process holds the lock (nil: the one for a VM), `advice` ends a
    /// refusal's line.
    static func open(
        path: String, vmID: Int, inUse: String? = nil, advice: String = "move it away, or use another LOG_DIR"
    ) throws -> Opened {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(path, .readWrite, options: [.create, .append], permissions: 0o644)
        } catch {
            throw EventLogError(description: "cannot write the event log \(path): \(error.reason)")
        }
        var keep = false
        defer { if !keep { try? descriptor.close() } }
        do {
            try descriptor.lockExclusivelyWithoutWaiting()
        } catch let error where error.errno == .wouldBlock {
            throw EventLogError(
                description: inUse
                    ?? "\(path) is in use by another running vmserver (the same VM_ID \(vmID) and LOG_DIR); "
                    + "stop that one first, or give this one another VM_ID or LOG_DIR")
        } catch {
            throw EventLogError(description: "cannot lock the event log \(path) for this VM alone: \(error.reason)")
        }
        var size = (try? descriptor.size()) ?? 0
        let verdict: LogFileCheck.Verdict
        do {
            verdict = try LogFileCheck.inspect(descriptor: descriptor, size: size, vmID: vmID)
        } catch {
            throw EventLogError(
                description: "\(path) is not the event log of VM \(vmID): \(error.reason); it was left as it is "
                    + "(\(advice))")
        }
        if verdict.cutShortBytes > 0 {
            // A line cut short by a crash (SIGKILL in the middle of a write, a full disk): its event
            // was never completely logged, and its batch's messages were never sent, so it is cut off.
            size -= verdict.cutShortBytes
            do {
                try descriptor.truncate(to: size)
            } catch {
                throw EventLogError(description: "cannot repair the cut-off last line of \(path): \(error.reason)")
            }
        }
        keep = true
        return Opened(
            descriptor: descriptor, lastLine: verdict.lastLine.map { ($0.seq, $0.clock) }, fileSize: size,
            lastLineBytes: verdict.lastLineBytes, repairedBytes: verdict.cutShortBytes)
    }

    deinit {
        if let descriptor {
            flush()
            try? descriptor.close()
        }
    }

    /// Buffers one event line stamped with `time`; writes the buffer out when it is full.
    public func append(_ event: VMEvent, at time: WallTime = .now()) {
        if feedsRecent {
            if lineStarts.isEmpty { bufferFirstSeq = event.seq }
            lineStarts.append(buffer.count)
        }
        encoder.append(event, at: time, to: &buffer)
        if buffer.count >= flushThreshold { flush() }
    }

    /// The first write error, if writing failed (a full disk, say). Lines that could not be written
    /// stay buffered; the owner should stop the VM and report this.
    public private(set) var writeError: EventLogError?

    /// Writes everything buffered to the file. On failure, sets `writeError` and keeps the unwritten
    /// bytes buffered (nothing is dropped silently); the next flush carries on where this one stopped.
    public func flush() {
        guard let descriptor, written < buffer.count else { return }
        var offset = written
        var failure: SystemError?
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                do throws(SystemError) {
                    let count = try descriptor.write(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                    // A write that moves nothing would repeat forever; it counts as a failed write.
                    if count == 0 { throw SystemError(call: "write", errno: .inputOutput) }
                    offset += count
                } catch {
                    failure = error
                    return
                }
            }
        }
        written = offset
        if let failure {
            if writeError == nil {
                writeError = EventLogError(description: "cannot write the event log \(path): \(failure.reason)")
            }
            return
        }
        // The ring copies the lines, so the buffer is reused as it is.
        if feedsRecent {
            recent.record(bytes: buffer[...], lineStarts: lineStarts, firstSeq: bufferFirstSeq, offset: fileSize)
        }
        fileSize += buffer.count
        buffer.removeAll(keepingCapacity: true)
        lineStarts.removeAll(keepingCapacity: true)
        written = 0
    }

    /// Flushes, forces the data to disk (unless `sync` is false), and closes the file.
    ///
    /// Without the sync the lines are in the file for every reader at once, and the system writes
    /// them to disk later: for logs that can be made again, such as the simulator's (10,000 files
    /// synced one by one take most of a minute).
    public func close(sync: Bool = true) {
        flush()
        guard let descriptor else { return }
        if sync { try? descriptor.sync() }
        try? descriptor.close()
        self.descriptor = nil
    }

    static func makeDirectory(_ directory: String) throws {
        var path = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            if !path.isEmpty && !path.hasSuffix("/") { path += "/" }
            path += component
            do {
                try FileSystem.makeDirectory(path, permissions: 0o755)
            } catch let error where error.errno == .fileExists {
                // Already there.
            } catch {
                throw EventLogError(description: "cannot create the log folder \(path): \(error.reason)")
            }
        }
        do {
            try FileSystem.checkWritable(directory)
        } catch {
            throw EventLogError(description: "cannot write to the log folder \(directory): \(error.reason)")
        }
    }

    /// The end of the file, long enough to hold its last complete line (4 KiB, doubling as needed
    /// up to the whole file), or nil for an empty file.
    static func readTail(_ descriptor: FileDescriptor) -> [UInt8]? {
        guard let size = try? descriptor.size(), size > 0 else { return nil }
        var length = 4096
        while true {
            let wanted = min(size, length)
            var bytes = [UInt8](repeating: 0, count: wanted)
            let read = bytes.withUnsafeMutableBytes { (try? descriptor.read(into: $0, at: size - wanted)) ?? -1 }
            guard read == wanted else { return read > 0 ? Array(bytes.prefix(read)) : nil }
            // A complete last line needs a newline before it (or the start of the file).
            let body = bytes.last == UInt8(ascii: "\n") ? bytes.dropLast() : bytes[...]
            let cutShort = bytes.last != UInt8(ascii: "\n")
            let newlines = body.filter { $0 == UInt8(ascii: "\n") }.count
            if wanted == size || newlines >= (cutShort ? 2 : 1) { return bytes }
            length *= 2
        }
    }
}
