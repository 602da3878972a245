import EventLog

/// Gathers a run's `FaultInterval`s while its lines stream by: a `fault` line opens one, the
/// `heal` line with its id closes it. A fault still open when a later run of its VM starts (a
/// `start` line with `resumed_after_seq`) ended with the crashed run, at that run's last line; one
/// still open at the end of the log ends at the log's last line.
///
/// Lines without faults cost a switch and one comparison; while a VM has a fault open it keeps the
/// time stamps of its lines since its latest tick event (to find a crashed run's last line), so
/// memory stays flat.
public struct FaultIntervalCollector: Sendable {
    private struct OpenFault {
        var id: Int
        var seq: Int
        var fields: LogFaultFields
        var peers: [Int]?
        var start: Int64
    }

    private struct VMFaults {
        var open: [OpenFault] = []
        /// While a fault is open: seq and time of the VM's latest tick line and of the lines after it.
        var recent: [(seq: Int, time: Int64)] = []
    }

    /// Indexed by VM id, grown by `fault` lines.
    private var vms: [VMFaults] = []
    /// Faults open over all VMs.
    private var openCount = 0
    private var closed: [FaultInterval] = []

    public init() {}

    /// Takes the next line of the run (each VM's lines in their order; VMs merged by time).
    @inline(__always)
    public mutating func consume(_ record: LogRecord) {
        switch record.kind {
        case .fault?: open(record)
        case .heal?: heal(record)
        case .start?: if openCount > 0, let resumed = record.resumedAfterSeq { endCrashedRun(record.vm, at: resumed) }
        default: break
        }
        if openCount > 0 { track(record) }
    }

    /// Notes the line's seq and time if its VM has a fault open.
    private mutating func track(_ record: LogRecord) {
        guard record.vm >= 0, record.vm < vms.count, !vms[record.vm].open.isEmpty else { return }
        if record.kind?.isTickEvent == true { vms[record.vm].recent.removeAll(keepingCapacity: true) }
        vms[record.vm].recent.append((record.seq, record.time))
    }

    /// Every fault seen, the open ones ending at their VM's last line; by start time, then VM and id.
    public func finish() -> [FaultInterval] {
        var result = closed
        for (vm, faults) in vms.enumerated() {
            let last = faults.recent.last?.time
            for fault in faults.open {
                result.append(interval(vm: vm, fault, end: last ?? fault.start, ending: .logEnded))
            }
        }
        return result.sorted { ($0.start, $0.vm, $0.id) < ($1.start, $1.vm, $1.id) }
    }

    private mutating func open(_ record: LogRecord) {
        guard record.vm >= 0, let fields = record.fault, let id = fields.id else { return }
        if record.vm >= vms.count { vms += Array(repeating: VMFaults(), count: record.vm - vms.count + 1) }
        if vms[record.vm].open.isEmpty { vms[record.vm].recent.removeAll(keepingCapacity: true) }
        vms[record.vm].open.append(
            OpenFault(id: id, seq: record.seq, fields: fields, peers: fields.peers, start: record.time))
        openCount += 1
    }

    private mutating func heal(_ record: LogRecord) {
        guard record.vm >= 0, record.vm < vms.count, let id = record.fault?.id,
            let index = vms[record.vm].open.firstIndex(where: { $0.id == id })
        else { return }
        let fault = vms[record.vm].open.remove(at: index)
        openCount -= 1
        closed.append(interval(vm: record.vm, fault, end: record.time, ending: .healed(reason: record.reason ?? "-")))
    }

    /// A new run of `vm` continues its log after line `resumed`: the faults the earlier run opened
    /// ended with it (a clean stop heals them), at its last line.
    private mutating func endCrashedRun(_ vm: Int, at resumed: Int) {
        guard vm >= 0, vm < vms.count else { return }
        let recent = vms[vm].recent
        let end = recent.last(where: { $0.seq <= resumed })?.time
        let ended = vms[vm].open.filter { $0.seq <= resumed }
        vms[vm].open.removeAll { $0.seq <= resumed }
        openCount -= ended.count
        closed += ended.map { interval(vm: vm, $0, end: end ?? $0.start, ending: .crashed) }
    }

    private func interval(vm: Int, _ fault: OpenFault, end: Int64, ending: FaultInterval.Ending) -> FaultInterval {
        FaultInterval(
            vm: vm, id: fault.id, fields: fault.fields, peers: fault.peers, start: fault.start,
            end: max(end, fault.start), ending: ending)
    }
}
