import ArgumentParser
import Orchestration
import Settings
import SystemCalls

/// `vmserver compose`: prints a Docker Compose file for N VMs on standard output.
struct ComposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Print a Docker Compose file for N VMs in the seed's dialing pattern (VM k dials VMs 1 to k-1).",
        discussion: """
            Example: vmserver compose --vms 10 > compose.10.yaml && docker compose -f compose.10.yaml up --build

            With --topology ring, grid, random:K or a JSON object, VM k dials only its neighbours below k \
            and each VM waits for its neighbours only; a random:K graph is drawn from --seed, which every \
            VM gets as SEED.

            Write the file beside the Dockerfile (the repository's root): its services build the image \
            from there (build: .). VM k listens for its peers on PORT + k - 1 inside the compose network; \
            its control plane is on CONTROL_PORT + k - 1, published on the host's 127.0.0.1 only. The \
            shipped compose.yaml is what `vmserver compose --vms 3` prints. docs/docker.md has the rest: \
            settings, curl examples, getting the logs out.
            """)

    @Option(parsing: .unconditional, help: "Number of VMs, 1-\(VMSettings.maximumVMs).")
    var vms: String
    @Option(
        parsing: .unconditional,
        help: "vm1's peer port; VM k uses PORT + k - 1 (default \(ComposeFile.defaultFirstPort)).")
    var port: String = String(ComposeFile.defaultFirstPort)
    @Option(
        parsing: .unconditional,
        help:
            "vm1's control port, published on 127.0.0.1; VM k uses CONTROL_PORT + k - 1 (default \(ComposeFile.defaultFirstControlPort))."
    )
    var controlPort: String = String(ComposeFile.defaultFirstControlPort)
    @Option(help: "Which VMs are linked: full (default), ring, grid, random:K, or a JSON object id -> [ids].")
    var topology: String?
    @Option(help: "The seed a random:K graph is drawn from; every VM gets it as SEED (default 1).")
    var seed: String?

    func run() throws {
        let file: ComposeFile
        do {
            file = try ComposeFile(vms: vms, port: port, controlPort: controlPort, topology: topology, seed: seed)
        } catch {
            StandardError.write("vmserver: \(error)\n")
            throw ExitCode(2)
        }
        print(file.text, terminator: "")
    }
}
