import Foundation

/// Memory of a running process, read from /proc (Linux).
public struct ProcessMemory: Sendable, Equatable, Codable {
    /// Resident set size now, in KiB.
    public var residentKiB: Int
    /// Peak resident set size so far (VmHWM), in KiB.
    public var peakResidentKiB: Int
    /// Pages only this process has written (Private_Dirty of smaps_rollup), in KiB: what one more
    /// VM on the same host costs, since code and read-only data are shared between processes.
    public var privateDirtyKiB: Int

    /// Reads the figures of process `pid`; nil if it is gone or /proc is not available.
    public static func read(pid: Int32) -> ProcessMemory? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let rollup = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)
        else { return nil }
        func field(_ name: String, in text: String) -> Int? {
            for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
                return Int(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
            }
            return nil
        }
        guard let rss = field("VmRSS", in: status), let peak = field("VmHWM", in: status),
            let dirty = field("Private_Dirty", in: rollup)
        else { return nil }
        return ProcessMemory(residentKiB: rss, peakResidentKiB: peak, privateDirtyKiB: dirty)
    }
}
