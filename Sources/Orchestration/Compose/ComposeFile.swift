import LamportCore
import Settings

/// A Docker Compose file for N VMs, one container each, in the seed's dialing pattern: VM k dials
/// VMs 1 to k-1 (by service name, `vm<ID>:<port>`), so every pair is connected once. With a
/// topology other than full, VM k dials its neighbours below k, so every link is connected once.
///
/// VM k listens for peers on `firstPort + k - 1` inside the compose network and serves its control
/// plane on `firstControlPort + k - 1`, published on the host's 127.0.0.1 only (DESIGN "Across
/// hosts"). Every VM runs from one image (`vmserver`, built from the Dockerfile beside the file) as
/// the image's unprivileged user, and writes its log into one named volume, `logs`. The shipped
/// compose.yaml is `ComposeFile(vms: "3").text`, and scripts/compose-check holds them equal.
public struct ComposeFile: Sendable, Equatable {
    /// Peer port of vm1 by default, as in the seed.
    public static let defaultFirstPort = 5001
    /// Control port of vm1 by default.
    public static let defaultFirstControlPort = 8001
    /// Seconds a VM waits for the others before giving up (containers start seconds apart).
    static let startupTimeout = 120
    /// The seed of a `random:K` graph when `--seed` is not given.
    public static let defaultSeed: UInt64 = 1

    /// How many VMs, 1 to `VMSettings.maximumVMs`.
    public let vmCount: Int
    /// vm1's peer port; VM k uses `firstPort + k - 1`.
    public let firstPort: Int
    /// vm1's control port; VM k uses `firstControlPort + k - 1`.
    public let firstControlPort: Int
    /// The links; every VM is given it as TOPOLOGY.
    public let topology: TopologyGraph
    /// The seed a `random:K` graph was drawn from: every VM gets it as SEED, fixed, so each draws
    /// the same graph (nil for the other topologies, whose SEED stays optional).
    public let graphSeed: UInt64?

    /// Reads the options of `vmserver compose`. Each problem is a `SettingsError` naming its
    /// option: `--vms` outside 1 to `VMSettings.maximumVMs`, a first port whose N ports would pass
    /// 65535, the same first port for peers and control (every VM would use one port twice), a
    /// `--topology` that does not build for the VMs, a bad `--seed`.
    public init(
        vms: String, port: String = String(defaultFirstPort), controlPort: String = String(defaultFirstControlPort),
        topology: String? = nil, seed: String? = nil
    ) throws(SettingsError) {
        let maximum = VMSettings.maximumVMs
        vmCount = try NumberSetting.integer(
            vms, setting: "--vms", in: 1...maximum, accepts: "an integer from 1 to \(maximum)")
        let lastFirstPort = 65536 - vmCount
        let accepts = "a TCP port from 1 to \(lastFirstPort) (the \(vmCount) VMs use it and the ports after it)"
        firstPort = try NumberSetting.integer(port, setting: "--port", in: 1...lastFirstPort, accepts: accepts)
        firstControlPort = try NumberSetting.integer(
            controlPort, setting: "--control-port", in: 1...lastFirstPort, accepts: accepts)
        if firstControlPort == firstPort {
            throw SettingsError("--control-port", "must differ from --port (\(firstPort)): each VM needs two ports")
        }
        let shape = try TopologySetting.parse(topology ?? "full", setting: "--topology")
        let seed = try seed.map { text throws(SettingsError) in try NumberSetting.seed(text, setting: "--seed") }
        graphSeed = shape.usesSeed ? seed ?? Self.defaultSeed : nil
        self.topology = try TopologySetting.graph(
            shape, vmCount: vmCount, seed: graphSeed ?? 0, setting: "--topology")
    }

    /// VM `id`'s peer port.
    public func port(ofVM id: Int) -> Int { firstPort + id - 1 }

    /// VM `id`'s control port, published as `127.0.0.1:<port>` on the host.
    public func controlPort(ofVM id: Int) -> Int { firstControlPort + id - 1 }

    /// VM `id`'s PEERS: every neighbour below it as `"<id>": "vm<id>:<port>"` (`{}` for vm1).
    public func peers(ofVM id: Int) -> String {
        let below = topology.neighbours(of: id).filter { $0 < id }
        return "{" + below.map { "\"\($0)\": \"vm\($0):\(port(ofVM: $0))\"" }.joined(separator: ", ") + "}"
    }

    private var isFull: Bool { topology.topology == .full }

    /// The command that writes this file.
    private var command: String {
        var words = ["vmserver compose --vms \(vmCount)"]
        if !isFull { words.append("--topology '\(topology.topology)'") }
        if let graphSeed { words.append("--seed \(graphSeed)") }
        return words.joined(separator: " ")
    }

    /// The file's text: comments saying how to use it, the shared settings, one service per VM, the
    /// logs volume.
    public var text: String {
        header + shared + "services:\n" + (1...vmCount).map(service).joined(separator: "\n") + "\nvolumes:\n  logs:\n"
    }

    private var header: String {
        let vms = vmCount == 1 ? "One VM" : "\(vmCount) VMs"
        let rates = vmCount == 1 ? "TICK_RATE_1" : "TICK_RATE_1 ... TICK_RATE_\(vmCount)"
        let column = String(repeating: " ", count: max(1, 38 - rates.count))
        return """
            # \(vms) in the seed's connection pattern: \(pattern). Written by
            # `\(command)`: the same command writes a file for another number of VMs.
            # Usage, curl examples and how to get the logs out: docs/docker.md.
            #
            #   docker compose up --build      # Ctrl-C or `docker compose down` stops them cleanly
            #
            # No depends_on: start order does not matter. Each VM dials its peers with retries and backoff
            # (a peer name that does not resolve yet is just a failed attempt), and every VM waits for all
            # \(isFull ? "TOTAL_VMS" : "its neighbours") before ticking, up to STARTUP_TIMEOUT seconds.
            #
            # Optional variables (shell or .env file); empty or unset means the default:
            #   \(rates)\(column)ticks per second or "max"; default: drawn from SEED
            #   \(seedLine)
            #   RUN_TIME                              seconds, then each VM stops cleanly and exits 0
            #   MAX_ACTION                            idle ticks roll 1..MAX_ACTION; default \(maxActionDefault)
            #   LOG_LEVEL, CONTROL_TOKEN              as in README.md "Settings"


            """
    }

    /// Who dials whom, in words.
    private var pattern: String {
        isFull
            ? "each VM dials the VMs numbered below it\n# (vm1 dials no one, vm2 dials vm1, vm3 dials vm1 and vm2, ...)"
            : "topology \(topology.topology.description.count > 40 ? "explicit" : topology.topology.description) "
                + "(\(topology.linkCount) links);\n# each VM dials its neighbours numbered below it"
    }

    /// MAX_ACTION when unset: in a full topology the VMs' default for N - 1 neighbours, written out;
    /// otherwise empty, so each VM takes the default for its own neighbour count.
    private var maxAction: String {
        isFull ? String(ActionPolicy.defaultMaxAction(neighbourCount: vmCount - 1)) : ""
    }

    private var maxActionDefault: String {
        isFull ? maxAction : "per VM, max(10, ceil(10 (neighbours + 1) / 3))"
    }

    private var seedLine: String {
        graphSeed == nil
            ? "SEED                                  one seed for all (each VM mixes in its VM_ID); default random"
            : "SEED                                  fixed below: the graph is drawn from it (change it with --seed)"
    }

    private var seedSetting: String {
        graphSeed.map { "\"\($0)\"" } ?? "${SEED:-}"
    }

    private var topologySetting: String {
        isFull ? "" : "\n  TOPOLOGY: '\(topology.topology)'"
    }

    private var shared: String {
        """
        # Settings shared by the VMs. (A merge key is shallow: each service merges this map into its
        # own `environment`, it does not inherit `environment` from x-vm.)
        x-vm-environment: &vm-environment
          TOTAL_VMS: "\(vmCount)"\(topologySetting)
          # Listen on all interfaces of the container, or other containers and published ports cannot
          # reach the VM.
          HOST: 0.0.0.0
          CONTROL_HOST: 0.0.0.0
          LOG_DIR: /logs
          # Containers can start seconds apart (and the first `up --build` builds the image first), so
          # wait longer than the default 30 s for the other VMs.
          STARTUP_TIMEOUT: "\(Self.startupTimeout)"
          SEED: \(seedSetting)
          RUN_TIME: ${RUN_TIME:-}
          MAX_ACTION: ${MAX_ACTION:-\(maxAction)}
          LOG_LEVEL: ${LOG_LEVEL:-}
          # When set, PUT, PATCH, POST and DELETE need "Authorization: Bearer <token>".
          CONTROL_TOKEN: ${CONTROL_TOKEN:-}

        x-vm: &vm
          # One image for every VM, built from the Dockerfile beside this file. It runs as the
          # unprivileged user vmserver (uid 10001) with no added capabilities: no `user:`, `cap_add:` or
          # `privileged:` here changes that.
          image: vmserver
          build: .
          # Every VM writes its vm<ID>.jsonl into one named volume. A new volume takes the owner of the
          # image's /logs (vmserver), so the VMs can write it. `docker compose down` keeps it (analyze
          # and copy out the logs as docs/docker.md shows); `docker compose down --volumes` deletes it.
          volumes:
            - logs:/logs
          # On SIGTERM a VM tells its peers it is leaving and waits up to 3 s for their acknowledgements,
          # then logs its queued messages and flushes. 15 s leaves room before Docker's SIGKILL.
          stop_grace_period: 15s
          # Health: the image's HEALTHCHECK, GET /livez on the VM's CONTROL_PORT (200 once the control
          # plane is up, also while it waits for its peers); `docker compose ps` shows it.


        """
    }

    private func service(_ id: Int) -> String {
        let peers = id == 1 ? "\"{}\"" : "'\(peers(ofVM: id))'"
        let control = controlPort(ofVM: id)
        var lines = [
            "  vm\(id):",
            "    <<: *vm",
            "    environment:",
            "      <<: *vm-environment",
            "      VM_ID: \"\(id)\"",
            "      PORT: \"\(port(ofVM: id))\"",
            "      CONTROL_PORT: \"\(control)\"",
            "      PEERS: \(peers)",
            "      TICK_RATE: ${TICK_RATE_\(id):-}",
        ]
        if id == 1 {
            lines += [
                "    # The control plane, on the host's loopback only. The peer ports stay inside the compose",
                "    # network.",
            ]
        }
        lines += ["    ports:", "      - \"127.0.0.1:\(control):\(control)\""]
        return lines.joined(separator: "\n") + "\n"
    }
}
