/// The lowest and highest of the VMs' latest clocks, kept up to date as single clocks change:
/// a count of VMs per clock value, with the lowest and highest value moved only as far as the
/// counts say. Each VM's clock only rises in a valid log, so a change costs O(1) amortised (a
/// clock that falls, in a broken log, is handled too). Clocks are taken within
/// 0..<`clockLimit` (a clock outside it, only in a broken log, counts as the nearest end).
struct ClockSpread: Sendable {
    static let clockLimit = 1 << 26
    private var latest: [Int32]
    private var counts: [Int32] = []
    /// VMs with a clock.
    private(set) var known = 0
    private var low = Int.max
    private var high = -1

    init(vmCount: Int) {
        latest = Array(repeating: -1, count: vmCount)
    }

    /// The highest minus the lowest latest clock (nil until two VMs have one).
    var spread: Int? { known >= 2 ? high - low : nil }

    mutating func set(vmIndex: Int, clock value: Int) {
        let clock = min(max(value, 0), Self.clockLimit - 1)
        let old = Int(latest[vmIndex])
        if old == clock { return }
        if old >= 0 { counts[old] -= 1 } else { known += 1 }
        latest[vmIndex] = Int32(clock)
        if clock >= counts.count {
            counts += Array(repeating: 0, count: max(clock + 1, counts.count * 2) - counts.count)
        }
        counts[clock] += 1
        low = min(low, clock)
        high = max(high, clock)
        // Some VM holds a clock in low...high, so both scans stop inside it.
        while counts[low] == 0 { low += 1 }
        while counts[high] == 0 { high -= 1 }
    }
}
