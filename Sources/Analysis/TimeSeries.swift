/// Per-VM clock and queue over time, and the drift between VMs, in a fixed number of time
/// buckets over the run, so memory does not grow with the log.
public struct TimeSeries: Sendable {
    public let start: Int64
    public let end: Int64
    public let bucketCount: Int
    /// Clock at the end of each bucket, per VM index (nil before the VM's first line).
    public private(set) var clock: [[Int?]]
    /// Longest queue seen in each bucket, per VM index.
    public private(set) var queue: [[Int?]]

    /// - Parameters: start, end: the run's first and last time stamps (microseconds).
    public init(vmCount: Int, start: Int64, end: Int64, bucketCount: Int = 600) {
        self.start = start
        self.end = max(end, start + 1)
        self.bucketCount = bucketCount
        clock = Array(repeating: Array(repeating: nil, count: bucketCount), count: vmCount)
        queue = clock
    }

    /// The bucket of a time stamp.
    public func bucket(of time: Int64) -> Int {
        let fraction = Double(time - start) / Double(end - start)
        return min(bucketCount - 1, max(0, Int(fraction * Double(bucketCount))))
    }

    /// Seconds from the start to the end of bucket `index`.
    public func seconds(atEndOf index: Int) -> Double {
        Double(end - start) / 1_000_000 * Double(index + 1) / Double(bucketCount)
    }

    /// Records the clock and queue length of the VM at `vmIndex` at `time` (microseconds; times
    /// outside the run go to the first or last bucket). Each VM's lines must come in time order:
    /// a bucket keeps the clock added last and the longest queue added.
    public mutating func add(vmIndex: Int, time: Int64, clock value: Int, queue length: Int) {
        let index = bucket(of: time)
        clock[vmIndex][index] = value
        queue[vmIndex][index] = max(queue[vmIndex][index] ?? 0, length)
    }

    /// Clocks carried forward through buckets without lines (a clock holds its value).
    public func filledClock(vmIndex: Int) -> [Int?] {
        var last: Int?
        return clock[vmIndex].map { value in
            if let value { last = value }
            return last
        }
    }

    /// Queue lengths carried forward through buckets without lines (a queue keeps its length
    /// until the VM's next line), as the percentile bands of many VMs take them.
    public func filledQueue(vmIndex: Int) -> [Int?] {
        var last: Int?
        return queue[vmIndex].map { value in
            if let value { last = value }
            return last
        }
    }

    /// The largest clock gap between any two VMs at the end of each bucket (nil until two VMs
    /// have a clock).
    public func drift() -> [Int?] {
        let filled = clock.indices.map(filledClock(vmIndex:))
        return (0..<bucketCount).map { index in
            let values = filled.compactMap { $0[index] }
            guard values.count >= 2, let low = values.min(), let high = values.max() else { return nil }
            return high - low
        }
    }
}
