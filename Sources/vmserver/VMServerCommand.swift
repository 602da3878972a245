import ArgumentParser
import Dashboard
import SystemCalls

@main
struct VMServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmserver",
        abstract: "Scale models and logical clocks: VMs with Lamport clocks talking over TCP.",
        subcommands: [
            RunCommand.self, ClusterCommand.self, ExperimentCommand.self, AnalyzeCommand.self, SimulateCommand.self,
            BenchCommand.self, CollectCommand.self, ComposeCommand.self, DashboardCommand.self,
        ],
        defaultSubcommand: RunCommand.self)

    /// Parses and runs the command. A usage error the parser finds itself (an unknown option, a
    /// missing value, an extra argument) is one line on standard error naming it and exit 2, as
    /// every bad option and setting is; `--help` and `help` print as usual.
    static func main() async {
        BrokenPipe.ignore()
        do {
            var command = try parseAsRoot(DashboardOption.normalized(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let first = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let text = first.hasPrefix("Error: ") ? String(first.dropFirst("Error: ".count)) : first
            StandardError.write("vmserver: \(text) (vmserver help COMMAND lists the options)\n")
            exit(withError: ExitCode(2))
        }
    }
}
