import Foundation
import Testing

@testable import Orchestration

/// `measured_tick_rate` of `GET /status` across `PATCH /config` retunes, over real HTTP: a VM that
/// runs and ticks never reads 0, and the reading settles on the new rate.
@Suite(.serialized)
struct MeasuredRateTests {
    /// What `/status` said while a change settled.
    struct Reading {
        var state: String
        var measured: Double
    }

    /// Polls `/status` from right after a change until the measured rate is within 5% of `rate`
    /// (or, for a pause, until the VM reads paused), at most 30 s; returns every reading.
    static func readings(_ control: ControlClient, until rate: Double?) async -> [Reading] {
        var readings: [Reading] = []
        _ = await poll(timeout: .seconds(30)) {
            guard let status = try? control.status() else { return false }
            readings.append(Reading(state: status.state, measured: status.measuredTickRate))
            guard let rate else { return status.state == "paused" }
            return status.state == "running" && abs(status.measuredTickRate - rate) <= 0.05 * rate
        }
        return readings
    }

    @Test("PATCH /config of the rate, a pause and a resume: measured_tick_rate is never 0 while running")
    func neverZeroWhileRunning() async throws {
        let workspace = try TestWorkspace()
        defer { workspace.cleanUp() }
        let ports = try FreePorts.allocate(2)
        let vm = try workspace.start(
            "vm",
            environment: [
                "VM_ID": "1", "PORT": String(ports[0]), "CONTROL_PORT": String(ports[1]), "TOTAL_VMS": "1",
                "TICK_RATE": "50", "SEED": "1", "LOG_DIR": workspace.path("logs"),
            ])
        let control = ControlClient(port: ports[1])
        let settled = await Self.readings(control, until: 50)
        try #require(settled.last.map { abs($0.measured - 50) <= 2.5 } == true, "\(describe([vm]))")

        let changes: [(body: String, rate: Double?)] = [
            (#"{"tick_rate": 2}"#, 2), (#"{"tick_rate": 40}"#, 40), (#"{"tick_rate": 0.5}"#, 0.5),
            (#"{"tick_rate": 20}"#, 20), (#"{"paused": true}"#, nil), (#"{"paused": false}"#, 20),
            (#"{"paused": false, "tick_rate": 5}"#, 5),
        ]
        for change in changes {
            let reply = try control.change(change.body)
            try #require(reply.status == 200, "\(change.body): \(reply)")
            let readings = await Self.readings(control, until: change.rate)
            let last = try #require(readings.last)
            if let rate = change.rate {
                #expect(
                    last.state == "running" && abs(last.measured - rate) <= 0.05 * rate,
                    "\(change.body): settles on \(rate), last read \(last)")
            } else {
                #expect(last.state == "paused" && last.measured == 0, "paused reads 0: \(last)")
            }
            let zeros = readings.filter { $0.state == "running" && $0.measured == 0 }
            let seen = readings.map { "\($0.state) \($0.measured)" }.joined(separator: ", ")
            #expect(
                zeros.isEmpty, "\(change.body): \(zeros.count) of \(readings.count) running readings were 0: \(seen)")
        }
        vm.terminate()
        #expect(await vm.waitForExit() == .code(0), "\(describe([vm]))")
    }
}
