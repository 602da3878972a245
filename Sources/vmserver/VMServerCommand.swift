import ArgumentParser

@main
struct VMServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmserver",
        abstract: "Scale models and logical clocks: VMs with Lamport clocks talking over TCP.",
        subcommands: [
            RunCommand.self, ClusterCommand.self, ExperimentCommand.self, AnalyzeCommand.self, SimulateCommand.self,
            BenchCommand.self, CollectCommand.self, ComposeCommand.self,
        ],
        defaultSubcommand: RunCommand.self)
}
