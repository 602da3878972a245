import LamportCore
import Settings

extension VMSettings {
    /// The tuning a VM starts with (TICK_RATE, MAX_ACTION, not paused).
    ///
    /// Only the start value: from then on `VMCore.tuning` is the one source of truth, changed by
    /// `PUT`/`PATCH /config` (also before the `start` line), and read by the tick schedule, the
    /// `start` line, `/config`, `/status` and the metrics.
    var initialTuning: VMTuning {
        VMTuning(tickRate: tickRate, maxAction: maxAction)
    }
}
