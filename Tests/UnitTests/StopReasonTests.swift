import Foundation
import Testing

@testable import LamportCore
@testable import VMRuntime

/// The `stop` reasons and exit codes are contracts: docs/log-format.md lists the reasons, README and
/// docs/architecture.md the exit codes.
struct StopReasonTests {
    /// The package root, found from this file's path (Tests/UnitTests/<file>).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the reasons are logged as the strings log-format.md documents, with the documented exit codes")
    func reasonsAndExitCodes() {
        let expected: [(StopReason, String, Int32)] = [
            (.runTime, "run_time", 0), (.signal, "signal", 0), (.startupTimeout, "startup_timeout", 2),
            (.clockExhausted, "clock_exhausted", 1), (.logWriteFailed, "log_write_failed", 1),
        ]
        #expect(expected.map(\.0) == StopReason.allCases)
        for (reason, logged, code) in expected {
            #expect(reason.rawValue == logged)
            #expect(reason.exitCode.rawValue == code, "\(logged)")
            #expect(StopOutcome(reason: reason).exitCode == reason.exitCode)
        }
        #expect(
            VMExitCode.clean.rawValue == 0 && VMExitCode.failure.rawValue == 1 && VMExitCode.userProblem.rawValue == 2)
    }

    @Test("log-format.md names exactly these reasons for the stop line")
    func documented() throws {
        let text = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("docs/log-format.md"), encoding: .utf8)
        let section = try #require(text.components(separatedBy: "- on `stop`:").dropFirst().first)
        let paragraph = section.components(separatedBy: "\n- ")[0]
        // Each reason is a code span followed by its explanation in parentheses: `name` (...).
        let named = paragraph.matches(of: /`([a-z_]+)` \(/).map { String($0.output.1) }
        #expect(Set(named) == Set(StopReason.allCases.map(\.rawValue)), "\(named)")
    }
}
