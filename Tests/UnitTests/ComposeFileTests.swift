import LamportCore
import Settings
import Testing

@testable import Orchestration

@Suite struct ComposeFileTests {
    @Test("each VM dials exactly the VMs below it, by service name and peer port")
    func seedDialingPattern() throws {
        let file = try ComposeFile(vms: "3")
        #expect(file.peers(ofVM: 1) == "{}")
        #expect(file.peers(ofVM: 2) == #"{"1": "vm1:5001"}"#)
        #expect(file.peers(ofVM: 3) == #"{"1": "vm1:5001", "2": "vm2:5002"}"#)
    }

    @Test(
        "every service's settings, as compose hands them to the VM, are valid VM settings", arguments: [1, 3, 10, 50])
    func servicesResolve(vms: Int) throws {
        let file = try ComposeFile(vms: String(vms))
        let services = ComposeText.environments(file.text)
        #expect(services.count == vms)
        for id in 1...vms {
            let environment = try #require(services["vm\(id)"])
            let settings = try VMSettings.resolve(environment)
            #expect(settings.vmID == id && settings.totalVMs == vms)
            #expect(settings.port == 5000 + id && settings.controlPort == 8000 + id)
            #expect(settings.peers == (1..<id).map { PeerEndpoint(id: $0, host: "vm\($0)", port: 5000 + $0) })
            #expect(settings.host == "0.0.0.0" && settings.controlHost == "0.0.0.0" && settings.logDirectory == "/logs")
            #expect(settings.maxAction == ActionPolicy.defaultMaxAction(neighbourCount: vms - 1))
        }
    }

    @Test("with a sparse topology each VM dials its neighbours below it, and every VM shares the graph's seed")
    func sparseTopology() throws {
        let file = try ComposeFile(vms: "40", topology: "random:4", seed: "9")
        let graph = try TopologyGraph(.random(neighbours: 4), vmCount: 40, seed: 9)
        let services = ComposeText.environments(file.text)
        var dials = 0
        for id in 1...40 {
            let environment = try #require(services["vm\(id)"])
            #expect(environment["TOPOLOGY"] == "random:4" && environment["SEED"] == "9")
            #expect(environment["MAX_ACTION"] == "", "each VM takes its own default")
            let below = graph.neighbours(of: id).filter { $0 < id }
            #expect(try PeerEndpoint.parseList(environment["PEERS"] ?? "").map(\.id) == below)
            dials += below.count
        }
        #expect(dials == graph.linkCount, "every link dialed once")
        #expect(file.text.contains("vmserver compose --vms 40 --topology 'random:4' --seed 9"))
        #expect(throws: SettingsError.self) { try ComposeFile(vms: "5", topology: "random:1") }
        #expect(throws: SettingsError.self) { try ComposeFile(vms: "5", topology: "star") }
    }

    @Test("only the control ports are published, each on the host's 127.0.0.1")
    func publishedPorts() throws {
        let text = try ComposeFile(vms: "5", port: "6001", controlPort: "7001").text
        let published = text.split(separator: "\n").filter { $0.hasPrefix("      - \"") }.map(String.init)
        #expect(published == (1...5).map { "      - \"127.0.0.1:\(7000 + $0):\(7000 + $0)\"" })
        #expect(ComposeText.environments(text)["vm5"]?["PORT"] == "6005")
    }

    @Test("the file changes nothing of the image's user and privileges, and keeps the logs in a named volume")
    func userAndVolume() throws {
        let text = try ComposeFile(vms: "3").text
        let keys = text.split(separator: "\n").filter { !$0.trimmingPrefix(while: { $0 == " " }).hasPrefix("#") }
        for key in ["user:", "cap_add:", "privileged:", "./logs"] {
            #expect(!keys.contains { $0.contains(key) }, "found \(key)")
        }
        #expect(text.contains("\n    - logs:/logs\n"))
        #expect(text.hasSuffix("\nvolumes:\n  logs:\n"))
        #expect(text.contains("\n  stop_grace_period: 15s\n"))
    }

    @Test(
        "bad options are one error naming the option",
        arguments: [
            (["0", "5001", "8001"], "--vms"), (["1001", "5001", "8001"], "--vms"),
            (["three", "5001", "8001"], "--vms"),
            (["10", "65527", "8001"], "--port"), (["10", "0", "8001"], "--port"),
            (["1000", "5001", "64600"], "--control-port"),
            (["3", "5001", "5001"], "--control-port"),
        ])
    func badOptions(options: [String], setting: String) {
        #expect {
            try ComposeFile(vms: options[0], port: options[1], controlPort: options[2])
        } throws: { error in
            (error as? SettingsError)?.setting == setting && !"\(error)".contains("\n")
        }
    }

    @Test("the last VM's ports may be 65535, not beyond")
    func highestPorts() throws {
        let file = try ComposeFile(vms: "10", port: "65526", controlPort: "1")
        #expect(file.port(ofVM: 10) == 65535 && file.controlPort(ofVM: 10) == 10)
    }
}

/// Reads back what a generated compose file gives each service's environment: the shared map
/// merged with the service's own, each `${NAME:-default}` as compose expands it with NAME unset,
/// quotes removed. Just enough YAML for the files ComposeFile writes.
enum ComposeText {
    static func environments(_ text: String) -> [String: [String: String]] {
        var shared: [String: String] = [:]
        var services: [String: [String: String]] = [:]
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            if !line.hasPrefix(" ") {
                section = String(line)
            } else if section.hasPrefix("services:") || section.hasPrefix("service "), line.hasPrefix("  "),
                !line.hasPrefix("   "), line.hasSuffix(":")
            {
                section = "service " + line.dropFirst(2).dropLast()
                services[String(section.dropFirst(8))] = shared
            }
            let trimmed = line.trimmingPrefix(while: { $0 == " " })
            guard line.hasPrefix("  "), !trimmed.hasPrefix("#"), !trimmed.hasPrefix("<<"),
                let colon = trimmed.firstIndex(of: ":"), trimmed[colon...].hasPrefix(": ")
            else { continue }
            let key = String(trimmed[..<colon])
            let value = expand(String(trimmed[trimmed.index(colon, offsetBy: 2)...]))
            if section.hasPrefix("x-vm-environment") {
                shared[key] = value
            } else if section.hasPrefix("service "), line.hasPrefix("      ") {
                services[String(section.dropFirst(8)), default: [:]][key] = value
            }
        }
        return services
    }

    private static func expand(_ value: String) -> String {
        var value = value
        if let first = value.first, first == "\"" || first == "'", value.last == first, value.count >= 2 {
            value = String(value.dropFirst().dropLast())
        }
        if value.hasPrefix("${"), value.hasSuffix("}"), let dash = value.range(of: ":-") {
            value = String(value[dash.upperBound..<value.index(before: value.endIndex)])
        }
        return value
    }
}
