/// The name of a VM's event log in its folder, `vm<ID>.jsonl` (docs/log-format.md): the writer
/// creates it, and the analysis and the orchestration find logs by it.
public enum LogFileName {
    /// `vm<ID>.jsonl`.
    public static func name(vmID: Int) -> String { "vm\(vmID).jsonl" }

    /// `directory/vm<ID>.jsonl`, with one slash between.
    public static func path(vmID: Int, in directory: String) -> String {
        directory.hasSuffix("/") ? directory + name(vmID: vmID) : "\(directory)/\(name(vmID: vmID))"
    }

    /// The VM id of a path whose last component is `vm<ID>.jsonl` (ID a positive integer), or nil.
    public static func vmID(ofPath path: String) -> Int? {
        let name = path.split(separator: "/").last ?? ""
        guard name.hasPrefix("vm"), name.hasSuffix(".jsonl"), let id = Int(name.dropFirst(2).dropLast(6)), id > 0
        else { return nil }
        return id
    }

    /// Whether a folder entry looks like an event log (`vm*.jsonl`), even one whose id does not
    /// parse: what a command refuses to write over.
    public static func looksLikeLog(_ name: String) -> Bool {
        name.hasPrefix("vm") && name.hasSuffix(".jsonl")
    }
}
