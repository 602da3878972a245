import NIOCore
import Settings

extension VMSettings {
    /// RUN_TIME as a `TimeAmount`; nil runs until stopped.
    public var runTimeAmount: TimeAmount? { runTime.map { .nanoseconds(NumberSetting.nanoseconds(seconds: $0)) } }
    /// STARTUP_TIMEOUT as a `TimeAmount`.
    public var startupTimeoutAmount: TimeAmount { .nanoseconds(NumberSetting.nanoseconds(seconds: startupTimeout)) }
}
