import Testing

@testable import Settings

/// VM_ID=auto and a PEERS list that names the VM itself: one pod template for every VM.
@Suite struct VMIdentityTests {
    static func resolve(_ values: [String: String], hostName: String?) throws(SettingsError) -> VMSettings {
        try VMSettings.resolve(values.merging(["PORT": "5001"]) { old, _ in old }, randomSeed: 1, hostName: hostName)
    }

    @Test(arguments: [("vm-0", 1), ("vm-2", 3), ("scale-models-vm-11", 12), ("node7", 8)])
    func autoIsTheHostNamesTrailingNumberPlusOne(hostName: String, vmID: Int) throws {
        let settings = try Self.resolve(["VM_ID": "auto", "TOTAL_VMS": "12", "MAX_ACTION": "12"], hostName: hostName)
        #expect(settings.vmID == vmID)
    }

    @Test func autoIgnoresCase() throws {
        #expect(try Self.resolve(["VM_ID": "AUTO"], hostName: "vm-1").vmID == 2)
    }

    @Test func aNumberDoesNotReadTheHostName() throws {
        var asked = false
        let settings = try VMSettings.resolve(
            ["VM_ID": "2", "PORT": "5002"], randomSeed: 1,
            hostName: {
                asked = true
                return "vm-0"
            }())
        #expect(settings.vmID == 2)
        #expect(!asked)
    }

    @Test(arguments: [
        ("web", "does not end in a number"),
        ("vm-3", "makes VM 4, above TOTAL_VMS (3)"),
        ("vm-99999999999", "does not end in a number"),
    ])
    func autoExplainsAHostNameItCannotUse(hostName: String, message: String) {
        #expect {
            _ = try Self.resolve(["VM_ID": "auto"], hostName: hostName)
        } throws: { error in
            let error = error as? SettingsError
            return error?.setting == "VM_ID" && "\(error!)".contains(message) && "\(error!)".contains(hostName)
        }
    }

    @Test func autoWithoutAHostNameNamesVMID() {
        #expect {
            _ = try Self.resolve(["VM_ID": "auto"], hostName: nil)
        } throws: { error in
            (error as? SettingsError)?.setting == "VM_ID"
        }
    }

    @Test func peersNamingThisVMAreLeftOut() throws {
        let peers = #"{"1": "vm-0.vm:5001", "2": "vm-1.vm:5001", "3": "vm-2.vm:5001"}"#
        let settings = try Self.resolve(["VM_ID": "auto", "PEERS": peers], hostName: "vm-1")
        #expect(settings.vmID == 2)
        #expect(settings.peers.map(\.id) == [1, 3])
        #expect(settings.peers.map(\.host) == ["vm-0.vm", "vm-2.vm"])
    }
}
