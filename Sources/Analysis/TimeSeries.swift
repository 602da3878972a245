/// Per-VM clock and queue over time, and the drift between VMs, in a fixed number of time
/// buckets over the run, so memory does not grow with the log. Values are kept as 32-bit numbers
/// in one flat table per quantity (8 bytes per VM and bucket in all); a value beyond 32 bits
/// (only a broken log has one) is kept as the largest 32-bit number.
public struct TimeSeries: Sendable {
    /// One quantity per VM index: `rows[vmIndex]` is its value in each bucket (nil: none).
    public struct Rows: RandomAccessCollection, Sendable {
        fileprivate var values: [Int32]
        fileprivate let bucketCount: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { bucketCount == 0 ? 0 : values.count / bucketCount }

        public subscript(vmIndex: Int) -> [Int?] {
            let base = vmIndex * bucketCount
            return (base..<base + bucketCount).map { values[$0] == TimeSeries.none ? nil : Int(values[$0]) }
        }
    }

    fileprivate static let none = Int32.min

    public let start: Int64
    public let end: Int64
    public let bucketCount: Int
    /// Clock at the end of each bucket, per VM index (nil before the VM's first line).
    public private(set) var clock: Rows
    /// Longest queue seen in each bucket, per VM index.
    public private(set) var queue: Rows

    /// - Parameters: start, end: the run's first and last time stamps (microseconds).
    public init(vmCount: Int, start: Int64, end: Int64, bucketCount: Int = 600) {
        self.start = start
        self.end = max(end, start + 1)
        self.bucketCount = bucketCount
        clock = Rows(values: Array(repeating: Self.none, count: vmCount * bucketCount), bucketCount: bucketCount)
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
        let index = vmIndex * bucketCount + bucket(of: time)
        clock.values[index] = Self.stored(value)
        queue.values[index] = max(queue.values[index], Self.stored(max(length, 0)))
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
        var low = [Int32](repeating: .max, count: bucketCount)
        var high = [Int32](repeating: .min, count: bucketCount)
        var known = [Int](repeating: 0, count: bucketCount)
        for vmIndex in clock.indices {
            var last = Self.none
            for bucket in 0..<bucketCount {
                let value = clock.values[vmIndex * bucketCount + bucket]
                if value != Self.none { last = value }
                guard last != Self.none else { continue }
                low[bucket] = min(low[bucket], last)
                high[bucket] = max(high[bucket], last)
                known[bucket] += 1
            }
        }
        return (0..<bucketCount).map { known[$0] >= 2 ? Int(high[$0]) - Int(low[$0]) : nil }
    }

    private static func stored(_ value: Int) -> Int32 {
        Int32(clamping: value) == none ? none + 1 : Int32(clamping: value)
    }
}
