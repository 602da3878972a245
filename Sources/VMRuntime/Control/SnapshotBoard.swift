import NIOConcurrencyHelpers

/// The latest `VMSnapshot`, written by the VM's event loop and read by any thread.
public final class SnapshotBoard: Sendable {
    private let box: NIOLockedValueBox<VMSnapshot>

    public init(_ initial: VMSnapshot) {
        box = NIOLockedValueBox(initial)
    }

    public func publish(_ snapshot: VMSnapshot) {
        box.withLockedValue { $0 = snapshot }
    }

    public var latest: VMSnapshot {
        box.withLockedValue { $0 }
    }

    /// Reads one part of the snapshot without copying the rest (e.g. the clock for `/clock`).
    public func read<Value>(_ part: (VMSnapshot) -> Value) -> Value {
        box.withLockedValue { part($0) }
    }
}
