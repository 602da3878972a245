import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live progress line of a cluster run: elapsed time and each VM's clock and queue, read
/// from each VM's `GET /status` like any script would.
///
/// On a terminal the line redraws in place; otherwise (a pipe, CI) a line is printed every 5 s.
final class ProgressDisplay: Sendable {
    private let vms: [VMProcess]
    private let duration: Double
    private let client: ControlClient
    private let print: @Sendable (String) -> Void
    private let interactive = isatty(1) == 1
    private let lastPrinted = NIOLockedValueBox<Double>(-10)

    init(vms: [VMProcess], duration: Double, client: ControlClient, print: @escaping @Sendable (String) -> Void) {
        self.vms = vms
        self.client = client
        self.duration = duration
        self.print = print
    }

    func update(elapsed: Double) async {
        var parts: [String] = []
        for vm in vms {
            guard let status = await StatusReport.fetch(port: vm.controlPort, client: client) else {
                parts.append("vm\(vm.vmID) (no answer)")
                continue
            }
            let paused = status.state == VMState.paused.rawValue ? " paused" : ""
            parts.append("vm\(vm.vmID) clock \(status.clock) queue \(status.queueLength)\(paused)")
        }
        let line = "\(Self.seconds(elapsed))/\(Self.seconds(duration)) s  " + parts.joined(separator: " | ")
        if interactive {
            print("\r\u{1B}[K" + line)
        } else if lastPrinted.withLockedValue({ elapsed - $0 >= 5 }) {
            lastPrinted.withLockedValue { $0 = elapsed }
            print(line + "\n")
        }
    }

    func finish() {
        if interactive { print("\n") }
    }

    private static func seconds(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
