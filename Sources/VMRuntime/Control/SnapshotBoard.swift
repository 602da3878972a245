import NIOConcurrencyHelpers

/// The latest `VMSnapshot`, written by the VM's event loop and read by any thread.
public final class SnapshotBoard: Sendable {
    private let box: NIOLockedValueBox<VMSnapshot>

    public init(_ initial: VMSnapshot) {
        box = NIOLockedValueBox(initial)
    }

    /// Replaces the snapshot every reader sees, as a whole: a reader gets the old one or the new
    /// one, never a mix. The VM's loop publishes every 100 ms and at each change of state; any
    /// thread may, and the last one published wins.
    public func publish(_ snapshot: VMSnapshot) {
        box.withLockedValue { $0 = snapshot }
    }

    /// A copy of the snapshot published last (the initial one until the first `publish`).
    public var latest: VMSnapshot {
        box.withLockedValue { $0 }
    }

    /// Reads one part of the snapshot without copying the rest (e.g. the clock for `/clock`).
    public func read<Value>(_ part: (VMSnapshot) -> Value) -> Value {
        box.withLockedValue { part($0) }
    }
}
