import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The live progress line of a cluster run: elapsed time and each VM's clock and queue.
///
/// On a terminal the line redraws in place; otherwise (a pipe, CI) a line is printed every 5 s.
final class ProgressDisplay: Sendable {
    private let vms: [VMProcess]
    private let duration: Double
    private let print: @Sendable (String) -> Void
    private let interactive = isatty(1) == 1
    private let lastPrinted = NIOLockedValueBox<Double>(-10)

    init(vms: [VMProcess], duration: Double, print: @escaping @Sendable (String) -> Void) {
        self.vms = vms
        self.duration = duration
        self.print = print
    }

    func update(elapsed: Double) {
        let parts = vms.map { vm -> String in
            guard let last = LogTail.lastRecord(path: vm.logPath) else { return "vm\(vm.vmID) -" }
            return "vm\(vm.vmID) clock \(last.clock) queue \(last.queue)"
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
