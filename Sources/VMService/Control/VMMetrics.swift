import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The VM's Prometheus metrics, kept with swift-metrics and rendered by swift-prometheus.
///
/// Most figures come from the latest snapshot at scrape time (gauges set, counters advanced by
/// what happened since the previous scrape); tick lateness is recorded by the event loop as it
/// happens, into a histogram.
public final class VMMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let tickLateness: Metrics.Timer
    /// Counter values already reported, by metric name and labels.
    private let reported = NIOLockedValueBox<[String: Int]>([:])

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["vmserver_tick_lateness_seconds"] = [
            .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10),
            .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(1),
        ]
        self.factory = factory
        tickLateness = Metrics.Timer(label: "vmserver_tick_lateness_seconds", dimensions: [], factory: factory)
    }

    /// Records how late a batch of ticks started compared with its schedule.
    public func recordTickLateness(nanoseconds: UInt64) {
        tickLateness.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// The Prometheus text exposition of `snapshot` plus the recorded histograms.
    public func render(_ snapshot: VMSnapshot, uptimeSeconds: Double) -> [UInt8] {
        gauge("vmserver_clock", Double(snapshot.clock))
        gauge("vmserver_queue_length", Double(snapshot.queueLength))
        gauge("vmserver_last_seq", Double(snapshot.lastSeq))
        switch snapshot.tuning.tickRate {
        case .perSecond(let rate): gauge("vmserver_tick_rate", rate)
        case .unthrottled: gauge("vmserver_tick_rate", .infinity)
        }
        gauge("vmserver_measured_tick_rate", snapshot.measuredTickRate)
        gauge("vmserver_max_action", Double(snapshot.tuning.maxAction))
        gauge("vmserver_paused", snapshot.tuning.paused ? 1 : 0)
        gauge("vmserver_ready", snapshot.isReady ? 1 : 0)
        gauge("vmserver_uptime_seconds", uptimeSeconds)
        counter("vmserver_events_total", [("type", "internal")], snapshot.internalEvents)
        counter("vmserver_events_total", [("type", "send")], snapshot.sendEvents)
        counter("vmserver_events_total", [("type", "receive")], snapshot.receiveEvents)
        for peer in snapshot.peers {
            let labels = [("peer", String(peer.id))]
            gauge("vmserver_peer_connected", peer.connected ? 1 : 0, labels)
            counter("vmserver_messages_sent_total", labels, peer.sent)
            counter("vmserver_messages_received_total", labels, peer.received)
            counter("vmserver_messages_dropped_total", labels, peer.dropped)
        }
        return registry.emitToBuffer()
    }

    private func gauge(_ name: String, _ value: Double, _ labels: [(String, String)] = []) {
        Metrics.Gauge(label: name, dimensions: labels, factory: factory).record(value)
    }

    /// Advances a counter to `total` (counters only go up; a smaller total is ignored).
    private func counter(_ name: String, _ labels: [(String, String)], _ total: Int) {
        let key = name + labels.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        let delta = reported.withLockedValue { values -> Int in
            let delta = total - (values[key] ?? 0)
            if delta > 0 { values[key] = total }
            return delta
        }
        let counter = Metrics.Counter(label: name, dimensions: labels, factory: factory)
        if delta > 0 { counter.increment(by: delta) }
    }
}
