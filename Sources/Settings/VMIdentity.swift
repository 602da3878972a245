import LamportCore

/// Reads VM_ID: a number, or `auto`, which takes the trailing number of the host name plus 1.
/// A Kubernetes StatefulSet names its pods `vm-0`, `vm-1`, ...; with `VM_ID=auto` pod `vm-0` is
/// VM 1, so one pod template serves every VM.
enum VMIdentity {
    /// The keyword that derives the id from the host name.
    static let automatic = "auto"

    /// The VM id `text` names, or nil when VM_ID is unset.
    ///
    /// - Parameter hostName: read only for `auto`.
    static func resolve(_ text: String?, totalVMs: Int, hostName: () -> String?) throws(SettingsError) -> Int? {
        let range = 1...totalVMs
        guard let text else { return nil }
        guard text.lowercased() == automatic else {
            return try NumberSetting.integer(
                text, setting: "VM_ID", in: range,
                accepts: "an integer from 1 to TOTAL_VMS (\(totalVMs)), or 'auto' (host name vm-0 is VM 1)")
        }
        guard let name = hostName() else {
            throw SettingsError("VM_ID", "auto: this machine's host name could not be read; set VM_ID to a number")
        }
        guard let ordinal = trailingNumber(of: name) else {
            throw SettingsError(
                "VM_ID",
                "auto: the host name \(quoted(name)) does not end in a number (auto makes vm-0 VM 1); set VM_ID to a number"
            )
        }
        guard ordinal < totalVMs else {
            throw SettingsError(
                "VM_ID",
                "auto: the host name \(quoted(name)) makes VM \(ordinal + 1), above TOTAL_VMS (\(totalVMs)); raise TOTAL_VMS to the number of VMs"
            )
        }
        return ordinal + 1
    }

    /// The decimal number the name ends with (`vm-12` gives 12), or nil if it ends in none or the
    /// number does not fit.
    static func trailingNumber(of name: String) -> Int? {
        let digits = name.utf8.reversed().prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        return digits.reversed().reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
}
