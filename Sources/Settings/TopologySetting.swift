import JSONText
import LamportCore

/// Reads a topology as TOPOLOGY, `--topology` and the plans' `topology` key write it, and builds
/// it for a cluster, with errors that name the setting.
public enum TopologySetting {
    /// What the setting accepts, for error messages and help texts.
    public static let accepted =
        #"full, ring, grid, random:K (K neighbours each, from SEED) or a JSON object of VM id -> [neighbour ids], e.g. {"1": [2], "2": [3]}"#

    /// Parses the text form (`Topology.description` reads back to the same topology).
    public static func parse(_ text: String, setting: String) throws(SettingsError) -> Topology {
        let trimmed = text.trimmingWhitespace()
        switch trimmed.lowercased() {
        case "full": return .full
        case "ring": return .ring
        case "grid": return .grid
        default: break
        }
        let wrong = SettingsError(setting, "expected \(accepted); got \(quoted(text))")
        if trimmed.lowercased().hasPrefix("random:") {
            guard let count = Int(trimmed.dropFirst("random:".count)), count >= 1 else { throw wrong }
            return .random(neighbours: count)
        }
        guard trimmed.hasPrefix("{"),
            case .object(let members)? = try? JSONBodyParser().parse(Array(trimmed.utf8))
        else { throw wrong }
        var links: [Int: [Int]] = [:]
        for member in members {
            guard let id = Int(member.key), id >= 1 else {
                throw SettingsError(setting, "VM ids must be integers >= 1; got \(quoted(member.key))")
            }
            guard case .array(let items) = member.value else {
                throw SettingsError(setting, "VM \(id): expected a list of neighbour ids")
            }
            links[id] = try items.map { item throws(SettingsError) in
                guard case .number(let number) = item, number >= 1, number <= 1e9, number == number.rounded() else {
                    throw SettingsError(setting, "VM \(id): neighbour ids must be integers >= 1")
                }
                return Int(number)
            }
        }
        return .explicit(links)
    }

    /// Builds `topology` for VMs 1...vmCount; a topology that does not fit is one line naming
    /// `setting`. `random:K` needs the seed every VM of the cluster shares.
    public static func graph(
        _ topology: Topology, vmCount: Int, seed: UInt64, setting: String
    ) throws(SettingsError) -> TopologyGraph {
        do {
            return try TopologyGraph(topology, vmCount: vmCount, seed: seed)
        } catch {
            throw SettingsError(setting, "\(topology): \(error.message)")
        }
    }
}
