import Foundation
import SystemCalls

/// What this host lets a cluster of VM processes use, read before starting one: open files per
/// process and in total, free ports for the VMs to listen on, memory, and processes and threads.
public struct HostResources: Sendable, Equatable {
    /// RLIMIT_NOFILE's hard limit: what each VM (and the runner) may raise its soft limit to.
    public var openFilesPerProcess: Int
    /// Files the whole system may still open (fs.file-max less those open now).
    public var openFilesInTotal: Int
    /// Ports the VMs can listen on (`FreePorts` draws them below the ephemeral range).
    public var ports: Int
    /// MemAvailable of /proc/meminfo, in MiB.
    public var availableMiB: Int
    /// Threads that may still start: the least of RLIMIT_NPROC (unless root), kernel.threads-max
    /// and kernel.pid_max (every thread takes a pid), less the threads running now.
    public var threads: Int

    public init(openFilesPerProcess: Int, openFilesInTotal: Int, ports: Int, availableMiB: Int, threads: Int) {
        self.openFilesPerProcess = openFilesPerProcess
        self.openFilesInTotal = openFilesInTotal
        self.ports = ports
        self.availableMiB = availableMiB
        self.threads = threads
    }

    /// The figures of this host now (Linux /proc; generous stand-ins where a figure cannot be read).
    public static func current() -> HostResources {
        let openFiles = (try? ResourceLimit.openFiles()).map { clamp($0.hard) } ?? 1024
        let fileNumbers = numbers(in: "/proc/sys/fs/file-nr")
        let fileMax = fileNumbers.count >= 3 ? fileNumbers[2] : Int.max / 2
        let filesOpen = fileNumbers.first ?? 0
        var threadCeiling = min(
            numbers(in: "/proc/sys/kernel/threads-max").first ?? Int.max / 2,
            numbers(in: "/proc/sys/kernel/pid_max").first ?? Int.max / 2)
        if geteuid() != 0, let processes = try? ResourceLimit.processes() {
            threadCeiling = min(threadCeiling, clamp(processes.soft))
        }
        let running = runningThreads() ?? 0
        return HostResources(
            openFilesPerProcess: openFiles, openFilesInTotal: max(0, fileMax - filesOpen),
            ports: FreePorts.listenRange.count,
            availableMiB: (meminfoKiB("MemAvailable") ?? Int.max / 2048) / 1024,
            threads: max(0, threadCeiling - running))
    }

    /// The whole numbers of a small /proc file, in order.
    static func numbers(in path: String) -> [Int] {
        guard let bytes = try? FileSystem.contents(of: path, maxBytes: 4096) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .compactMap { Int($0) }
    }

    /// A field of /proc/meminfo, in KiB.
    static func meminfoKiB(_ name: String) -> Int? {
        guard let bytes = try? FileSystem.contents(of: "/proc/meminfo", maxBytes: 65_536) else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).split(separator: " ").first.flatMap { Int($0) }
        }
        return nil
    }

    /// The threads running on the host now (the denominator of /proc/loadavg's 4th field).
    static func runningThreads() -> Int? {
        guard let bytes = try? FileSystem.contents(of: "/proc/loadavg", maxBytes: 4096) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: " ")
        guard fields.count >= 4, let total = fields[3].split(separator: "/").last else { return nil }
        return Int(total)
    }

    private static func clamp(_ value: UInt64) -> Int {
        value >= UInt64(Int.max / 2) ? Int.max / 2 : Int(value)
    }
}
