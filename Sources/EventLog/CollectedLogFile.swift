import SystemCalls

/// A copy of one VM's event log pulled over `GET /log` (`vmserver collect`): `vm<ID>.jsonl` in a
/// run folder, the VM's lines byte for byte, appended a page at a time.
///
/// Opening it is opening a VM's own log: the file is locked (a second collect into the same
/// folder is refused), checked to be VM ID's log ("Whose log is it" in docs/log-format.md), and a
/// line cut short by an interrupted write is cut off. So a copy stopped at any moment continues
/// from its last complete line, without a duplicate or a torn line.
public final class CollectedLogFile {
    public let path: String
    public let vmID: Int
    /// `seq` of the last line in the file, 0 when it has none.
    public private(set) var lastSeq: Int
    /// The last line in the file, without its newline (empty when it has none).
    public private(set) var lastLine: [UInt8]
    /// Bytes in the file.
    public private(set) var size: Int
    /// Bytes of a line cut short that opening the file cut off (0 when there was none).
    public let repairedBytes: Int
    private var descriptor: FileDescriptor?

    /// Opens (creating the folder and the file when missing) `directory/vm<vmID>.jsonl`. Throws an
    /// `EventLogError` with one line naming the file and what is wrong; a refused file is left as
    /// it was.
    public init(directory: String, vmID: Int) throws {
        try EventLogFile.makeDirectory(directory)
        path = LogFileName.path(vmID: vmID, in: directory)
        let opened = try EventLogFile.open(
            path: path, vmID: vmID,
            inUse: "\(path) is in use by another process (a vmserver collect into the same folder, or a VM "
                + "with that LOG_DIR); wait for it to end, or collect into another folder",
            advice: "move it away, or collect into another folder")
        self.vmID = vmID
        descriptor = opened.descriptor
        lastSeq = opened.lastLine?.seq ?? 0
        lastLine = opened.lastLineBytes
        size = opened.fileSize
        repairedBytes = opened.repairedBytes
    }

    deinit {
        try? descriptor?.close()
    }

    /// Why lines cannot be appended.
    public struct AppendError: Error, CustomStringConvertible {
        public var description: String
        /// True when the lines were fine but the file could not be written (a full disk, an I/O
        /// error); false when a line is not the next line of this VM's log.
        public var isWriteFailure = false
    }

    /// Appends lines (each without its newline) in one write. Each must be the next line of this
    /// VM's log: `seq` one above the last one in the file, `vm` this VM, no line break inside;
    /// otherwise nothing is written and `AppendError` says which line is wrong.
    public func append(_ lines: [ArraySlice<UInt8>]) throws(AppendError) {
        guard !lines.isEmpty else { return }
        guard let descriptor else { throw AppendError(description: "\(path) is closed") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        var seq = lastSeq
        for line in lines {
            let lineSeq = LogLineScanner.int(.seq, in: line)
            guard lineSeq == seq + 1 else {
                throw AppendError(
                    description: "expected VM \(vmID)'s line \(seq + 1), got "
                        + (lineSeq.map { "line \($0)" } ?? "a line without a seq"))
            }
            guard LogLineScanner.int(.vm, in: line) == vmID else {
                throw AppendError(description: "line \(seq + 1) is not a line of VM \(vmID)")
            }
            guard !line.contains(UInt8(ascii: "\n")) else {
                throw AppendError(description: "line \(seq + 1) holds a line break")
            }
            seq += 1
            bytes.append(contentsOf: line)
            bytes.append(UInt8(ascii: "\n"))
        }
        let written = bytes.withUnsafeBytes { raw in
            Result { () throws(SystemError) in try descriptor.writeAll(raw) }
        }
        if case .failure(let error) = written {
            throw AppendError(description: "cannot write \(path): \(error.reason)", isWriteFailure: true)
        }
        lastSeq = seq
        lastLine = Array(lines[lines.count - 1])
        size += bytes.count
    }

    /// Forces the lines to disk and closes the file (also done, without the sync, on deinit).
    public func close() {
        guard let descriptor else { return }
        try? descriptor.sync()
        try? descriptor.close()
        self.descriptor = nil
    }
}
