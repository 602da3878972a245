import NIOConcurrencyHelpers
import Prometheus

/// The VM's Prometheus metrics, kept in a swift-prometheus registry, each with its HELP text.
///
/// Every name starts with `vmserver_` (`vm_` is VictoriaMetrics' own prefix). Most figures come
/// from the latest snapshot at scrape time (gauges set, counters advanced by what happened since
/// the previous scrape); tick lateness and clock jumps are recorded by the event loop as they
/// happen, into histograms. `promtool check metrics` accepts the output (scripts/metrics-check).
public final class VMMetrics: Sendable {
    /// The prefix of every metric name.
    public static let prefix = "vmserver_"

    private let registry = PrometheusCollectorRegistry()
    private let tickLateness: DurationHistogram
    private let clockJumps: ValueHistogram
    /// Counter values already reported, by metric name and labels.
    private let reported = NIOLockedValueBox<[String: Int]>([:])
    /// Whether `vmserver_info` is registered (it needs the VM id of the first snapshot).
    private let infoRegistered = NIOLockedValueBox(false)

    /// Upper bounds of the clock-jump histogram's buckets (jumps are whole numbers, 0 = none).
    public static let clockJumpBuckets: [Double] = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

    public init() {
        tickLateness = registry.makeDurationHistogram(
            descriptor: Self.descriptor(
                "tick_lateness_seconds", help: "How late each batch of ticks started, compared with the tick schedule"),
            buckets: [
                .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
                .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1),
            ])
        clockJumps = registry.makeValueHistogram(
            descriptor: Self.descriptor(
                "clock_jump",
                help: "Per receive, how far the Lamport clock moved beyond the usual +1: "
                    + "new clock - old clock - 1 (0 = no jump), as in vmserver analyze"),
            buckets: Self.clockJumpBuckets)
    }

    /// Records how late a batch of ticks started compared with its schedule.
    public func recordTickLateness(nanoseconds: UInt64) {
        tickLateness.record(.nanoseconds(Int64(clamping: nanoseconds)))
    }

    /// Records the clock jump of one receive: new clock - old clock - 1 (0 when the message's
    /// clock was not ahead of the VM's), the definition `vmserver analyze` uses.
    public func recordClockJump(_ jump: Int) {
        clockJumps.record(Double(jump))
    }

    /// The Prometheus text exposition of `snapshot` plus the recorded histograms.
    public func render(_ snapshot: VMSnapshot, uptimeSeconds: Double) -> [UInt8] {
        registerInfo(vmID: snapshot.vmID)
        gauge("clock", Double(snapshot.clock), help: "The VM's Lamport clock")
        gauge("queue_length", Double(snapshot.queueLength), help: "Messages received and waiting in the VM's queue")
        gauge("last_seq", Double(snapshot.lastSeq), help: "The seq of the last line of the VM's event log")
        let rate: Double
        switch snapshot.tuning.tickRate {
        case .perSecond(let perSecond): rate = perSecond
        case .unthrottled: rate = .infinity
        }
        gauge("tick_rate", rate, help: "Configured ticks per second (+Inf when unthrottled)")
        gauge(
            "measured_tick_rate", snapshot.measuredTickRate,
            help: "Ticks per second measured over the last 2 s (0 when not ticking)")
        gauge("max_action", Double(snapshot.tuning.maxAction), help: "Idle ticks roll 1..max_action")
        gauge("paused", snapshot.tuning.paused ? 1 : 0, help: "1 while the VM is paused, else 0")
        gauge(
            "ready", snapshot.isReady ? 1 : 0,
            help: "1 while the VM ticks and is connected to every peer (as GET /readyz), else 0")
        gauge("uptime_seconds", uptimeSeconds, help: "Seconds since the VM process started")
        let eventsHelp = "Tick events of the VM, by type: internal, send, receive"
        counter("events_total", [("type", "internal")], snapshot.internalEvents, help: eventsHelp)
        counter("events_total", [("type", "send")], snapshot.sendEvents, help: eventsHelp)
        counter("events_total", [("type", "receive")], snapshot.receiveEvents, help: eventsHelp)
        for peer in snapshot.peers {
            let labels = [("peer", String(peer.id))]
            gauge("peer_connected", peer.connected ? 1 : 0, labels, help: "1 while connected to the peer, else 0")
            counter("messages_sent_total", labels, peer.sent, help: "Messages sent to the peer")
            counter("messages_received_total", labels, peer.received, help: "Messages received from the peer")
            counter(
                "messages_dropped_total", labels, peer.dropped,
                help: "Messages not sent to the peer because its connection was down")
        }
        return registry.emitToBuffer()
    }

    /// `vmserver_info{vm_id, version} 1`: who this is, to join other metrics on.
    private func registerInfo(vmID: Int) {
        let needed = infoRegistered.withLockedValue { registered -> Bool in
            defer { registered = true }
            return !registered
        }
        guard needed else { return }
        registry.makeGauge(
            descriptor: Self.descriptor(
                "info", help: "Always 1; the labels tell which VM this is and the vmserver version it runs"),
            labels: [("vm_id", String(vmID)), ("version", VMServerVersion.current)]
        ).set(1.0)
    }

    /// The name `vmserver_<name>` with its HELP text.
    private static func descriptor(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "vmserver", metricName: name, unitName: "", helpText: help)
    }

    private func gauge(_ name: String, _ value: Double, _ labels: [(String, String)] = [], help: String) {
        registry.makeGauge(descriptor: Self.descriptor(name, help: help), labels: labels).set(value)
    }

    /// Advances a counter to `total` (counters only go up; a smaller total is ignored).
    private func counter(_ name: String, _ labels: [(String, String)], _ total: Int, help: String) {
        let key = name + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        let delta = reported.withLockedValue { values -> Int in
            let delta = total - (values[key] ?? 0)
            if delta > 0 { values[key] = total }
            return delta
        }
        let counter = registry.makeCounter(descriptor: Self.descriptor(name, help: help), labels: labels)
        if delta > 0 { counter.increment(by: Int64(delta)) }
    }
}
