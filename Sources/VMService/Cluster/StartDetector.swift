/// Tells whether a VM has started ticking, from its log.
enum StartDetector {
    /// True once the log's last line is `start` or any later tick or lifecycle line of a running VM.
    static func hasStarted(logPath: String) -> Bool {
        guard let last = LogTail.lastRecord(path: logPath), let kind = last.kind else { return false }
        return kind != .peerUp && kind != .peerDown
    }
}
