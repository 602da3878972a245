import ArgumentParser

/// `--fault VM@AT_S:JSON` (repeatable), as `vmserver cluster` and `vmserver simulate` both take it;
/// `FaultOptions.fault` reads each value.
struct FaultArgument: ParsableArguments {
    @Option(
        parsing: .unconditionalSingleValue,
        help: "A fault: VM@AT_S:JSON, the JSON being a POST /faults body (repeatable; see below).")
    var fault: [String] = []
}
