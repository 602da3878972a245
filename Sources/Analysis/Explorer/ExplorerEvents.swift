import EventLog

/// A run's tick events in the compact form the report's explorer loads: one entry per event,
/// grouped by VM (lane) in log order, with the links from each receive to its send.
///
/// Arrays are parallel and indexed by event: events of lane `l` are `laneStart[l]..<laneStart[l+1]`,
/// so an event's predecessor on its VM is the index before it. Memory is about 25 bytes per event.
public struct ExplorerEvents: Sendable, Equatable {
    /// Event kinds as stored in `kind`.
    public enum Kind: UInt8, Sendable {
        case internalEvent = 0
        case send = 1
        case receive = 2
    }

    /// VM ids, one per lane, ascending.
    public var vms: [Int] = []
    /// Index of each lane's first event, plus the total at the end (`vms.count + 1` entries).
    public var laneStart: [Int32] = [0]
    /// Microseconds since `origin`.
    public var time: [Double] = []
    public var clock: [Int32] = []
    public var kind: [UInt8] = []
    /// The `seq` of the event's log line.
    public var seq: [Int32] = []
    /// For a receive, the index of its send (-1 when its send is not in the logs); -1 otherwise.
    public var link: [Int32] = []
    /// The earliest time of any line, microseconds since the epoch.
    public var origin: Int64 = 0

    public var count: Int { time.count }

    /// The outcome of reading a run for the explorer.
    public enum Reading: Sendable, Equatable {
        case events(ExplorerEvents)
        /// The run has more tick events than the explorer loads.
        case tooMany(events: Int, limit: Int)
    }

    /// Reads every `vm<ID>.jsonl` in `files` (one per VM, as `LogMerger.logFiles` lists them).
    /// Stops counting at `limit` tick events and reports `.tooMany` then.
    public static func read(files: [(vm: Int, path: String)], limit: Int) throws(LogParseError) -> Reading {
        var events = ExplorerEvents()
        var origin = Int64.max
        var receives: [(index: Int, from: Int, sendSeq: Int)] = []
        for (vm, path) in files.sorted(by: { $0.vm < $1.vm }) {
            let reader = try LogFileReader(path: path)
            events.vms.append(vm)
            while let record = try reader.next() {
                origin = min(origin, record.time)
                let stored: Kind
                switch record.kind {
                case .internalEvent?: stored = .internalEvent
                case .send?: stored = .send
                case .receive?: stored = .receive
                default: continue
                }
                guard events.count < limit else {
                    return .tooMany(events: try countTickEvents(files: files), limit: limit)
                }
                if stored == .receive, let message = record.message {
                    receives.append((events.count, message.from, message.sendSeq))
                }
                events.time.append(Double(record.time))
                events.clock.append(Int32(clamping: record.clock))
                events.kind.append(stored.rawValue)
                events.seq.append(Int32(clamping: record.seq))
                events.link.append(-1)
            }
            events.laneStart.append(Int32(events.count))
        }
        events.origin = origin == .max ? 0 : origin
        for index in events.time.indices { events.time[index] -= Double(events.origin) }
        events.resolve(receives)
        return .events(events)
    }

    /// Points each receive at its send: the sender's lane, found by binary search on `seq`.
    private mutating func resolve(_ receives: [(index: Int, from: Int, sendSeq: Int)]) {
        var laneOf: [Int: Int] = [:]
        for (lane, vm) in vms.enumerated() { laneOf[vm] = lane }
        for receive in receives {
            guard let lane = laneOf[receive.from] else { continue }
            var low = Int(laneStart[lane])
            var high = Int(laneStart[lane + 1])
            while low < high {
                let middle = (low + high) / 2
                if Int(seq[middle]) < receive.sendSeq { low = middle + 1 } else { high = middle }
            }
            if low < Int(laneStart[lane + 1]), Int(seq[low]) == receive.sendSeq, kind[low] == Kind.send.rawValue {
                link[receive.index] = Int32(low)
            }
        }
    }

    private static func countTickEvents(files: [(vm: Int, path: String)]) throws(LogParseError) -> Int {
        var total = 0
        for file in files {
            let reader = try LogFileReader(path: file.path)
            while let record = try reader.next() {
                if record.kind?.isTickEvent == true { total += 1 }
            }
        }
        return total
    }
}
