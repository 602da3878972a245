import NIOConcurrencyHelpers
import UnixSignals

/// Ctrl-C (SIGINT) and SIGTERM to this process, while a command that starts VMs wants them as a
/// request to stop its run rather than as the end of the process.
///
/// Holders call `trap()` and later `release()`; while at least one holds it, the two signals only
/// set `received`. The command traps before it prints anything a script could wait for, so that
/// a signal that comes as early as that is never the process's end, and `LocalCluster` holds it
/// while its VMs run. When the last holder releases it, `received` is cleared and the signals are
/// left to libdispatch, as before the first trap.
public final class InterruptSignals: Sendable {
    private struct State {
        var holders = 0
        var received = false
        var watcher: Task<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())

    /// The one instance: signal handlers are process-wide.
    public static let process = InterruptSignals()

    private init() {}

    /// Whether SIGINT or SIGTERM came since the first of the current holders trapped them.
    public var received: Bool { state.withLockedValue { $0.received } }

    /// Traps the two signals (the first holder installs the handlers and returns once they are in
    /// place); pair every call with a `release()`.
    public func trap() async {
        let first = state.withLockedValue { state in
            state.holders += 1
            return state.holders == 1 && state.watcher == nil
        }
        guard first else { return }
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let watcher = Task { [state] in
            for await _ in signals {
                state.withLockedValue { $0.received = true }
            }
        }
        let stale = state.withLockedValue { state -> Task<Void, Never>? in
            guard state.holders > 0 else { return watcher }  // released meanwhile
            state.watcher = watcher
            return nil
        }
        stale?.cancel()
    }

    /// Ends one holder's trap; the last one stops watching and clears `received`.
    public func release() {
        let watcher = state.withLockedValue { state -> Task<Void, Never>? in
            state.holders = max(0, state.holders - 1)
            guard state.holders == 0 else { return nil }
            state.received = false
            defer { state.watcher = nil }
            return state.watcher
        }
        watcher?.cancel()
    }
}
