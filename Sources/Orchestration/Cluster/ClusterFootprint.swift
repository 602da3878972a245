import LamportCore
import Settings

/// What a cluster of VM processes on one host needs, computed from its size and topology before
/// anything starts, and checked against what the host allows (`HostResources`).
///
/// The per-VM figures were measured on the 2-core Linux host this project is developed on
/// (release build, 1000 VMs with random:4; see README, "Scale"), with some headroom: a VM holds
/// one descriptor per link and 16 more (listener, control plane, event log, stdio, event loop),
/// counted as 24; it runs 4 threads, counted as 6; its own memory (private dirty pages; its
/// code is shared between the processes, so RSS, about 32 MiB, overstates it) is about 3.5 MiB,
/// counted as 5 MiB, plus 24 KiB per link for socket and frame buffers.
public struct ClusterFootprint: Sendable, Equatable {
    public var vmCount: Int
    public var topology: Topology
    /// Links of the whole cluster (each counted once).
    public var linkCount: Int
    /// The most neighbours any one VM has.
    public var largestNeighbourCount: Int

    /// Descriptors of a VM besides its links.
    static let fixedDescriptorsPerVM = 24
    /// Descriptors of the runner (`vmserver cluster` itself) besides one per VM.
    static let runnerDescriptors = 64
    /// Threads of one VM process.
    static let threadsPerVM = 6
    /// Memory of one VM process that is its own, in KiB, and what each link adds.
    static let privateKiBPerVM = 5 * 1024
    static let kiBPerLink = 24

    public init(graph: TopologyGraph) {
        vmCount = graph.vmCount
        topology = graph.topology
        linkCount = graph.linkCount
        largestNeighbourCount = graph.largestNeighbourCount
    }

    /// Descriptors the busiest VM holds.
    public var descriptorsPerVM: Int { largestNeighbourCount + Self.fixedDescriptorsPerVM }
    /// Descriptors the runner holds (a diagnostics file per VM, a claim per block of ports it
    /// holds for them (`HandedOutPorts`), its HTTP client, its own files).
    public var runnerDescriptors: Int {
        vmCount + (ports + HandedOutPorts.blockSize - 1) / HandedOutPorts.blockSize + Self.runnerDescriptors
    }
    /// Descriptors of all VMs and the runner (each link has a descriptor at both ends).
    public var descriptorsInTotal: Int {
        2 * linkCount + vmCount * Self.fixedDescriptorsPerVM + runnerDescriptors
    }
    /// Ports the VMs listen on: a peer port and a control port each.
    public var ports: Int { 2 * vmCount }
    /// Memory of all VMs, in MiB (rounded up).
    public var memoryMiB: Int {
        (vmCount * Self.privateKiBPerVM + 2 * linkCount * Self.kiBPerLink + 1023) / 1024
    }
    public var threads: Int { vmCount * Self.threadsPerVM }

    /// One line saying what the cluster needs and what the host allows, when the host holds it.
    /// - Throws: `SettingsError` naming `--vms` and each resource that is short, and by how much.
    public func check(against host: HostResources) throws(SettingsError) -> String {
        var short: [String] = []
        if descriptorsPerVM > host.openFilesPerProcess {
            short.append(
                "open files per VM: \(descriptorsPerVM) needed (\(largestNeighbourCount) links + \(Self.fixedDescriptorsPerVM)), "
                    + "RLIMIT_NOFILE allows \(host.openFilesPerProcess): \(descriptorsPerVM - host.openFilesPerProcess) short"
            )
        }
        if runnerDescriptors > host.openFilesPerProcess {
            short.append(
                "open files of this process: \(runnerDescriptors) needed, RLIMIT_NOFILE allows "
                    + "\(host.openFilesPerProcess): \(runnerDescriptors - host.openFilesPerProcess) short")
        }
        if descriptorsInTotal > host.openFilesInTotal {
            short.append(
                "open files in total: \(descriptorsInTotal) needed, fs.file-max leaves \(host.openFilesInTotal): "
                    + "\(descriptorsInTotal - host.openFilesInTotal) short")
        }
        if ports > host.ports {
            short.append(
                "ports: \(ports) needed, \(host.ports) in the range VMs listen on: \(ports - host.ports) short")
        }
        if memoryMiB > host.availableMiB {
            short.append(
                "memory: ~\(memoryMiB) MiB needed, \(host.availableMiB) MiB available (MemAvailable): "
                    + "\(memoryMiB - host.availableMiB) MiB short")
        }
        if threads > host.threads {
            short.append(
                "threads: ~\(threads) needed (\(Self.threadsPerVM) per VM), the host allows \(host.threads) more "
                    + "(threads-max, pid_max, RLIMIT_NPROC): \(threads - host.threads) short")
        }
        guard short.isEmpty else {
            throw SettingsError(
                "--vms",
                "\(vmCount) VMs do not fit on this host: " + short.joined(separator: "; ") + "; run fewer VMs"
                    + (topology == .full ? " or a sparser --topology (ring, grid, random:K)" : ""))
        }
        return "\(vmCount) VMs, topology \(topology) (\(linkCount) links): needs ~\(descriptorsInTotal) fds "
            + "(\(descriptorsPerVM) per VM), \(memoryMiB) MiB, \(ports) ports, \(threads) threads; this host allows "
            + "\(host.openFilesPerProcess) fds per process, \(host.availableMiB) MiB, \(host.ports) ports, "
            + "\(host.threads) threads"
    }
}
