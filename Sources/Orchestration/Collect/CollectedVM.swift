/// What `vmserver collect` did for one VM: how much of its log it copied, or why it could not.
public struct CollectedVM: Sendable, Equatable {
    public var url: ControlURL
    /// The VM's id (from its `GET /status`); nil when the VM never answered.
    public var vmID: Int?
    /// The copy, `DIR/vm<ID>.jsonl`; nil when the VM never answered.
    public var path: String?
    /// Lines and bytes this collect appended.
    public var newLines = 0
    public var newBytes = 0
    /// Lines and bytes in the copy now (earlier collects included).
    public var lines = 0
    public var bytes = 0
    /// Bytes of a line cut short (an interrupted collect) cut off before continuing.
    public var repairedBytes = 0
    /// True when the VM had stopped (state `stopped`) before its last page was read: the copy is
    /// its whole log. False for a VM still running: the copy is its log so far.
    public var complete = false
    /// Why the copy is missing or incomplete; nil when it went as it should.
    public var problem: String?
    /// Another URL given for the same VM, which was collected through that one.
    public var sameVMAs: ControlURL?

    public init(url: ControlURL) {
        self.url = url
    }

    /// One line for people: what was copied, or the problem.
    public var summary: String {
        let name = vmID.map { "vm\($0)" } ?? "vm?"
        if let problem { return "\(name) \(url): \(problem)" }
        if let sameVMAs { return "\(name) \(url): the same VM as \(sameVMAs); collected once" }
        var text = "\(name) \(url): \(newLines) new lines (\(newBytes) bytes), \(lines) in all (\(bytes) bytes)"
        if repairedBytes > 0 { text += ", after cutting off \(repairedBytes) bytes of a line cut short" }
        text += complete ? "; the VM has stopped: whole log" : "; the VM is still running: its log so far"
        return text
    }
}
