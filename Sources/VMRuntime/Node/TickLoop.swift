import LamportCore
import NIOCore

/// The timing of a started VM's ticks (owned by `NodeState.ticking`): when the next batch of ticks
/// is due, which armed batch is the current one, and when a batch's log lines are flushed. The node
/// runs the batches (`VMNode.runBatch`); this type decides when.
///
/// - **Schedule**: tick k is due at anchor + k / rate (`TickSchedule`, monotonic nanoseconds). A
///   batch runs every tick due when it starts, at most `batchLimit`, then the loop turns to network
///   IO again; the next batch is armed at the next deadline, never sooner than `ioGapNanoseconds`.
/// - **Generation**: a batch is armed with the current generation. `restart` (the start, a rate
///   change, a resume) and `halt` (a pause) begin a new one, so a batch armed before does nothing
///   when it fires. A stopping node drops its loop, which ends every armed batch too.
/// - **Flush policy**: a batch that sent messages flushes the log before the messages leave (the
///   durability rule of docs/log-format.md); one that sent nothing leaves its lines buffered for at
///   most `logFlushDelay`, so a VM that ticks fast without sending does not pay a write per batch.
///
/// Used only on the VM's event loop. A class: armed batches and flushes refer to it, and it lives
/// from the `start` line to the stop.
final class TickLoop {
    /// Largest number of ticks run in one go before the loop turns to network IO again.
    static let batchLimit = 512
    /// The least time between two batches, for network IO.
    ///
    /// NIO runs every task that is due before it polls the sockets again, so a batch that re-armed
    /// itself for "now" (unthrottled, or behind schedule) would starve the network: messages would
    /// pile up unread. Leaving a short gap lets the loop read and write between batches.
    static let ioGapNanoseconds: UInt64 = 20_000
    /// How long lines of batches that send nothing may stay buffered.
    static let logFlushDelay = TimeAmount.milliseconds(20)

    private var schedule: TickSchedule
    /// The generation of the batch that may run; armed batches of older ones do nothing.
    private(set) var generation = 0
    /// Whether a delayed log flush is armed.
    private var logFlushArmed = false

    /// A loop that does not tick until `restart`.
    init(rate: TickRate) {
        schedule = TickSchedule(anchor: 0, rate: rate)
    }

    /// Nanoseconds between ticks; nil when unthrottled.
    var interval: Double? { schedule.interval }

    // MARK: Arming

    /// Starts over at `now` with `rate` (the next tick is due at once), in a new generation.
    func restart(at now: UInt64, rate: TickRate) {
        schedule.reanchor(at: now, rate: rate)
        generation += 1
    }

    /// Stops ticking (a pause): the batch armed last will do nothing.
    func halt() {
        generation += 1
    }

    /// Whether a batch armed in `generation` may run.
    func isCurrent(_ generation: Int) -> Bool {
        generation == self.generation
    }

    /// When to run the next batch: at the next tick's deadline, but never sooner than
    /// `ioGapNanoseconds` after `now`.
    func nextBatchDeadline(after now: UInt64) -> UInt64 {
        max(schedule.nextDue, now + Self.ioGapNanoseconds)
    }

    // MARK: A batch

    /// How late a batch starting at `now` is, if the schedule is throttled and behind; else nil.
    func lateness(at now: UInt64) -> UInt64? {
        schedule.interval != nil && now > schedule.nextDue ? now - schedule.nextDue : nil
    }

    /// Whether the next tick is due at `now`.
    func isDue(at now: UInt64) -> Bool {
        schedule.isDue(at: now)
    }

    /// Notes that a tick ran.
    func recordTick() {
        schedule.recordTick()
    }

    // MARK: The delayed flush

    /// Notes that a batch left its lines buffered and claims the delayed flush: true if the caller
    /// must arm it (none was armed yet; it now counts as armed until `logFlushed`), false if one is
    /// armed already.
    func claimLogFlush() -> Bool {
        guard !logFlushArmed else { return false }
        logFlushArmed = true
        return true
    }

    /// The delayed flush ran.
    func logFlushed() {
        logFlushArmed = false
    }
}
