import Testing

@testable import LamportCore

/// Validation of fault parameters: every error names the control plane's field.
@Suite struct FaultRequestTests {
    static func field(of build: () throws(FaultParameterError) -> Void) -> String? {
        do {
            try build()
            return nil
        } catch {
            return error.field
        }
    }

    @Test func acceptsEveryKindWithinRange() throws {
        let kinds: [FaultKind] = [
            .delay(milliseconds: 0, jitterMilliseconds: 0, distribution: .constant),
            .delay(milliseconds: 60_000, jitterMilliseconds: 60_000, distribution: .uniform),
            .delay(milliseconds: 5, jitterMilliseconds: 2, distribution: .exponential),
            .loss(probability: 0), .loss(probability: 1), .duplicate(probability: 0.5), .partition,
            .clockSkew(milliseconds: -86_400_000), .clockSkew(milliseconds: 86_400_000),
        ]
        for kind in kinds {
            #expect(throws: Never.self) { try kind.validate() }
        }
        let request = try FaultRequest(kind: .partition, peers: [3, 2, 3], durationSeconds: 1.5)
        #expect(request.peers == [2, 3])
        #expect(request.durationMicroseconds == 1_500_000)
    }

    @Test func outOfRangeParametersNameTheirField() {
        let cases: [(FaultKind, String)] = [
            (.delay(milliseconds: -1, jitterMilliseconds: 0, distribution: .constant), "ms"),
            (.delay(milliseconds: 60_001, jitterMilliseconds: 0, distribution: .constant), "ms"),
            (.delay(milliseconds: 1, jitterMilliseconds: -1, distribution: .uniform), "jitter_ms"),
            (.delay(milliseconds: 1, jitterMilliseconds: 60_001, distribution: .uniform), "jitter_ms"),
            (.delay(milliseconds: 1, jitterMilliseconds: 1, distribution: .constant), "jitter_ms"),
            (.loss(probability: -0.1), "probability"), (.loss(probability: 1.01), "probability"),
            (.loss(probability: .nan), "probability"), (.duplicate(probability: 2), "probability"),
            (.clockSkew(milliseconds: 86_400_001), "ms"),
        ]
        for (kind, expected) in cases {
            #expect(Self.field { () throws(FaultParameterError) in _ = try FaultRequest(kind: kind) } == expected)
        }
    }

    @Test func peersAndDurationAreChecked() {
        let cases: [(() throws(FaultParameterError) -> Void, String)] = [
            ({ () throws(FaultParameterError) in _ = try FaultRequest(kind: .partition, peers: []) }, "peers"),
            ({ () throws(FaultParameterError) in _ = try FaultRequest(kind: .partition, peers: [0]) }, "peers"),
            (
                { () throws(FaultParameterError) in _ = try FaultRequest(kind: .clockSkew(milliseconds: 5), peers: [2])
                },
                "peers"
            ),
            (
                { () throws(FaultParameterError) in _ = try FaultRequest(kind: .partition, durationSeconds: 0) },
                "duration_s"
            ),
            (
                { () throws(FaultParameterError) in _ = try FaultRequest(kind: .partition, durationSeconds: .infinity)
                },
                "duration_s"
            ),
            (
                { () throws(FaultParameterError) in _ = try FaultRequest(kind: .partition, durationSeconds: .nan) },
                "duration_s"
            ),
        ]
        for (build, expected) in cases {
            #expect(Self.field(of: build) == expected)
        }
    }

    @Test func aPeerTheVMDoesNotHaveIsRefusedByTheSet() throws {
        var faults = FaultSet(vmID: 1, peers: [2, 3], random: FaultRandom(seed: 1, vmID: 1))
        let request = try FaultRequest(kind: .loss(probability: 1), peers: [2, 4])
        #expect(
            Self.field { () throws(FaultParameterError) in _ = try faults.add(request, at: 0) } == "peers")
        #expect(faults.isIdle)
        #expect(
            FaultParameterError(field: "probability", problem: "must be from 0 to 1").description
                == "probability must be from 0 to 1")
    }
}
