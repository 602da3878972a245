import Settings
import SystemCalls

/// The open files a simulation needs: one log per VM, all open for the whole run, plus a few for
/// the process itself. Shells often start processes with a soft limit (RLIMIT_NOFILE) of 1024
/// under a much higher hard limit, which any process may raise its soft limit to.
public enum SimulationFileLimit {
    /// Descriptors beyond the logs: standard streams, the folder, the runtime's own.
    public static let reserve = 64

    /// The open files a simulation of `vmCount` VMs needs.
    public static func needed(vmCount: Int) -> Int { vmCount + reserve }

    /// Makes sure the process may open `needed(vmCount:)` files, raising its soft limit up to the
    /// hard one when it is short (never lowering it).
    ///
    /// - Throws: a `SettingsError` naming `--vms` when even the hard limit is too low, saying how
    ///   many files it needs and what the limit is.
    public static func ensure(vmCount: Int) throws(SettingsError) {
        guard let limit = try? ResourceLimit.openFiles() else { return }
        let wanted = UInt64(needed(vmCount: vmCount))
        guard limit.soft < wanted else { return }
        if limit.hard >= wanted {
            do {
                try ResourceLimit.setOpenFiles(ResourceLimit(soft: limit.hard, hard: limit.hard))
                return
            } catch {
                // Some systems cap the soft limit below an unlimited hard one; ask for what is needed.
                if (try? ResourceLimit.setOpenFiles(ResourceLimit(soft: wanted, hard: limit.hard))) != nil { return }
            }
        }
        throw shortage(vmCount: vmCount, hardLimit: limit.hard)
    }

    /// The error for a hard limit below what `vmCount` VMs need.
    public static func shortage(vmCount: Int, hardLimit: UInt64) -> SettingsError {
        SettingsError(
            "--vms",
            "\(vmCount) VMs need \(needed(vmCount: vmCount)) open files (one log per VM), but this process may "
                + "open at most \(hardLimit) (RLIMIT_NOFILE, `ulimit -Hn`); raise the limit or simulate fewer VMs")
    }
}
