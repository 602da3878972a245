import LamportCore
import SystemCalls

extension WallTime {
    /// The current system time: what every log line's `time` records.
    public static func now() -> WallTime {
        WallTime(microseconds: SystemClock.realtimeMicroseconds())
    }
}
