import DequeModule

/// The measured tick rate of a running VM (`measured_tick_rate` of `GET /status`), from samples
/// the node takes after each batch of ticks: (monotonic nanoseconds, tick events so far).
///
/// The rate is measured over the samples of about the last 2 s, and only over samples taken since
/// the last retune (a change of `tick_rate`, or a pause or resume), so two rates are never mixed.
/// Right after a retune, until the VM has ticked twice under the new setting, there is nothing to
/// measure yet: the meter then reports the rate it measured before the retune, so a VM that ticks
/// never reads 0. It reads 0 only before its first two ticks, and when its last tick is much older
/// than its own tick interval (it is not ticking). Samples are taken at batch times, which follow
/// the tick schedule, so a steady rate is measured exactly. No IO: time comes in as arguments.
struct TickRateMeter {
    /// How far back the rate looks.
    static let window: UInt64 = 2_000_000_000

    private var samples: Deque<(time: UInt64, ticks: Int)> = []
    /// The rate measured before the last retune, reported until there are two samples after it.
    private var carried: Double?

    /// Notes the tick count after a batch, keeping about `window` of samples (at least two).
    mutating func record(at now: UInt64, ticks: Int) {
        if let last = samples.last, last.ticks == ticks { return }
        samples.append((now, ticks))
        while samples.count > 2, let first = samples.first, now &- first.time > Self.window {
            samples.removeFirst()
        }
    }

    /// The setting that decides the rate changed at `now`: later samples start a new measurement,
    /// and what was measured so far is reported until then.
    mutating func retune(at now: UInt64) {
        if let measured = measured(at: now) { carried = measured }
        samples.removeAll()
    }

    /// Ticks per second at `now` (see the type's description for what is reported when).
    func rate(at now: UInt64) -> Double {
        if samples.count < 2 { return carried ?? 0 }
        return measured(at: now) ?? 0
    }

    /// Ticks per second between the oldest and newest sample, or nil with fewer than two samples
    /// or when the newest is stale (older than the window and than twice the measured span).
    private func measured(at now: UInt64) -> Double? {
        guard let first = samples.first, let last = samples.last, last.time > first.time,
            now >= last.time, now - last.time <= max(Self.window, 2 * (last.time - first.time))
        else { return nil }
        return Double(last.ticks - first.ticks) / (Double(last.time - first.time) / 1e9)
    }
}
