import ArgumentParser
import Orchestration
import SystemCalls

/// `vmserver collect URL... --out DIR`: every VM's whole log over `GET /log` into a run folder,
/// then the same analysis as `vmserver analyze DIR`. docs/collect.md is its manual.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Copy VMs' logs over HTTP (GET /log) into a run folder, then analyze it like vmserver analyze.",
        discussion: """
            Example: vmserver collect http://10.0.0.1:6001 http://10.0.0.2:6002 http://10.0.0.3:6003 --out runs/lab

            Each URL is a VM's control plane (http://HOST:CONTROL_PORT, HOST:PORT or [IPV6]:PORT). Each \
            VM's log is copied byte for byte to DIR/vm<ID>.jsonl (the id from its GET /status). A copy \
            continues from its last complete line, so running collect again, or after an interruption, \
            adds only what is new. A VM still running is copied as far as it has logged; --follow keeps \
            polling every VM until it has stopped (its state 'stopped': start the VMs with \
            SERVE_AFTER_STOP so their control plane stays up after the stop) and its last line is copied.

            Exit codes: 0 every VM collected and every check passed; 1 a check failed; 2 a bad option \
            or a log that cannot be analysed; 3 a VM could not be collected (not reachable, or it \
            serves a log the copy does not continue): the others are still collected and analysed.
            """)

    @Argument(help: "The VMs' control planes: http://HOST:PORT (CONTROL_HOST and CONTROL_PORT of each VM).")
    var urls: [String] = []
    @Option(help: "The run folder to collect into (created if missing; required).") var out: String?
    @Flag(help: "Poll each VM until it has stopped and its whole log is copied.") var follow = false
    @Option(
        parsing: .unconditional,
        help: "Seconds between polls with --follow, 0.05-60 (default 0.5).")
    var pollInterval: String?
    @Flag(help: "Also write shiviz.log (ShiViz's log format).") var shiviz = false
    @Flag(help: "Only print the summary and checks; write no report files.") var noFiles = false

    func run() async throws {
        let (targets, directory, interval) = try options()
        let collector = LogCollector(directory: directory, follow: follow, pollInterval: interval)
        let results = await collector.collect(targets) { vm in
            if vm.problem != nil {
                StandardError.write("vmserver: \(vm.summary)\n")
            } else {
                print(vm.summary)
            }
        }
        let collected = results.filter { $0.path != nil && $0.lines > 0 }
        let missing = results.filter { $0.problem != nil }.count
        let vms = results.filter { $0.sameVMAs == nil }.count
        guard !collected.isEmpty else {
            if missing == 0 {
                print("no VM has logged a line yet; nothing to analyze")
                return
            }
            StandardError.write("vmserver: no VM's log was collected into \(directory); nothing to analyze\n")
            throw ExitCode(3)
        }
        print("")
        let passed = try RunReportOutput.analyze(directory: directory, shiviz: shiviz, writeFiles: !noFiles)
        if missing > 0 {
            StandardError.write(
                "vmserver: \(missing) of \(vms) VMs not collected completely (see above); exit 3\n")
            throw ExitCode(3)
        }
        if !passed { throw ExitCode(1) }
    }

    /// The checked options, or one line naming the bad one and exit 2.
    private func options() throws -> ([ControlURL], String, Duration) {
        do throws(OptionProblem) {
            guard let out, !out.isEmpty else {
                throw OptionProblem("--out: required: the run folder to collect into")
            }
            guard !urls.isEmpty else {
                throw OptionProblem("URL: give at least one VM's control plane, e.g. http://10.0.0.2:6002")
            }
            var targets: [ControlURL] = []
            for text in urls {
                do {
                    targets.append(try ControlURL.parse(text))
                } catch {
                    throw OptionProblem("invalid URL \(error)")
                }
            }
            var interval = Duration.milliseconds(500)
            if let pollInterval {
                guard let seconds = Double(pollInterval), (0.05...60).contains(seconds) else {
                    throw OptionProblem("--poll-interval: expected seconds from 0.05 to 60; got '\(pollInterval)'")
                }
                interval = .milliseconds(Int((seconds * 1000).rounded()))
            }
            return (targets, out, interval)
        } catch {
            StandardError.write("vmserver: \(error.text)\n")
            throw ExitCode(2)
        }
    }
}

/// A bad option of `collect`: the line to print.
private struct OptionProblem: Error {
    var text: String

    init(_ text: String) {
        self.text = text
    }
}
