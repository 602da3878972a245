import Testing

@testable import Analysis
@testable import EventLog

/// The fault intervals `vmserver analyze` gathers while streaming: from a `fault` line to the `heal`
/// line with its id, to the crash of its run, or to the end of the log.
@Suite struct FaultIntervalTests {
    typealias HandLogs = CrashAccountingTests.HandLogs

    @Test("fault lines are parsed with their id, kind, parameters and peers")
    func faultFieldsParse() throws {
        let parser = LogLineParser()
        let fault = try parser.parse(
            #"{"seq":9,"vm":3,"type":"fault","clock":4,"time":"2026-11-26T15:34:43.262115Z","queue":0,"id":2,"#
                + #""kind":"delay","peers":[1,2],"ms":400,"jitter_ms":300,"distribution":"exponential","duration_s":30}"#
        )
        #expect(
            fault.fault
                == LogFaultFields(
                    id: 2, kind: "delay", peers: [1, 2], ms: 400, jitterMs: 300, distribution: "exponential",
                    durationS: 30))
        let skew = try parser.parse(
            #"{"seq":9,"vm":3,"type":"fault","clock":4,"time":"2026-11-26T15:34:43.262115Z","queue":0,"id":1,"#
                + #""kind":"clock_skew","ms":-1500}"#)
        #expect(skew.fault == LogFaultFields(id: 1, kind: "clock_skew", ms: -1500))
        let send = try parser.parse(
            #"{"seq":5,"vm":1,"type":"send","clock":2,"time":"2026-11-26T15:34:42.762101Z","queue":0,"to":[2]}"#)
        #expect(send.fault == nil)
    }

    @Test("a fault lasts from its fault line to the heal line with its id, on its own VM")
    func faultToHeal() throws {
        let logs = FaultAccountingTests.threeVMs()
        let partitionStart = logs.nextTime
        logs.fault(1, id: 1, kind: "partition", parameters: #","peers":[2],"duration_s":30"#)
        let lossStart = logs.nextTime
        logs.fault(2, id: 1, kind: "loss", parameters: #","probability":0.5"#)
        logs.internalEvent(1)
        let partitionEnd = logs.nextTime
        logs.heal(1, id: 1, kind: "partition", reason: "expired")
        let lossEnd = logs.nextTime
        logs.heal(2, id: 1, kind: "loss", reason: "removed")
        FaultAccountingTests.stopAll(logs)

        let faults = try logs.analyze().faults
        try #require(faults.count == 2)
        #expect(faults[0].vm == 1 && faults[0].kind == "partition" && faults[0].peers == [2])
        #expect(faults[0].start == partitionStart && faults[0].end == partitionEnd)
        #expect(faults[0].ending == .healed(reason: "expired"))
        #expect(faults[0].label == "VM1 partition →2")
        #expect(faults[0].parameters == "for 30 s")
        #expect(faults[1].vm == 2 && faults[1].start == lossStart && faults[1].end == lossEnd)
        #expect(faults[1].label == "VM2 loss 50%")
        #expect(faults[1].endingText == "removed (DELETE /faults/1)")
    }

    @Test("a fault without a heal line lasts until its VM's last line")
    func openAtTheEnd() throws {
        let logs = FaultAccountingTests.threeVMs()
        let start = logs.nextTime
        logs.fault(3, id: 4, kind: "delay", parameters: #","ms":400,"jitter_ms":300,"distribution":"uniform""#)
        logs.fault(2, id: 1, kind: "delay", parameters: #","ms":100,"jitter_ms":400,"distribution":"exponential""#)
        logs.internalEvent(3)
        let last = logs.nextTime
        logs.internalEvent(3)
        logs.internalEvent(1)  // another VM's later line does not extend it

        let all = try logs.analyze().faults
        #expect(all.first { $0.vm == 2 }?.label == "VM2 delay 100+exp 400 ms", "exponential jitter only adds")
        let faults = all.filter { $0.vm == 3 }
        try #require(faults.count == 1)
        #expect(faults[0].start == start && faults[0].end == last)
        #expect(faults[0].ending == .logEnded)
        #expect(faults[0].label == "VM3 delay 400±300 ms")
        #expect(faults[0].parameters == "400 ms, jitter 300 ms, uniform")
    }

    @Test("faults of a run that crashed end at its last line; the restarted run's faults are its own")
    func crashEndsTheRunsFaults() throws {
        let logs = CrashAccountingTests.twoVMs()
        let start = logs.nextTime
        logs.fault(2, id: 1, kind: "clock_skew", parameters: #","ms":1500"#)
        logs.fault(2, id: 2, kind: "duplicate", parameters: #","probability":0.25,"peers":[1]"#)
        logs.internalEvent(2)
        let healed = logs.nextTime
        logs.heal(2, id: 2, kind: "duplicate")
        let lastOfTheRun = logs.nextTime
        logs.internalEvent(2)
        let crashedRunEnd = logs.lastSeq(2)
        // VM 2 is killed here; its next run reuses fault id 1, set while it waits for its peer.
        logs.peerDown(1, 2)
        logs.peerUp(2, 1)
        let restarted = logs.nextTime
        logs.fault(2, id: 1, kind: "loss")
        logs.start(2, resumedAfter: crashedRunEnd)
        logs.internalEvent(2)
        logs.stop(1)

        let faults = try logs.analyze().faults
        try #require(faults.count == 3)
        #expect(faults.map(\.kind) == ["clock_skew", "duplicate", "loss"])
        #expect(faults[0].start == start && faults[0].end == lastOfTheRun && faults[0].ending == .crashed)
        #expect(faults[0].label == "VM2 clock_skew +1500 ms")
        #expect(faults[0].endingText == "the VM crashed (no heal line)")
        #expect(faults[1].end == healed && faults[1].ending == .healed(reason: "removed"))
        #expect(faults[1].label == "VM2 duplicate 25% →1")
        #expect(faults[2].start == restarted && faults[2].ending == .logEnded)
    }

    @Test("a run without faults has none")
    func noFaults() throws {
        let logs = FaultAccountingTests.threeVMs()
        let message = logs.send(1, to: [2])
        logs.receive(2, message)
        FaultAccountingTests.stopAll(logs)
        #expect(try logs.analyze().faults.isEmpty)
    }
}
