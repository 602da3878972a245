import ArgumentParser
import Dashboard
import Orchestration
import SystemCalls

/// `vmserver dashboard URL...`: a live web page of running VMs, read and steered only through
/// their control planes. docs/dashboard.md is its manual.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve a live web page of running VMs (state, clocks, charts, space-time diagram, controls).",
        discussion: """
            Example: vmserver dashboard http://127.0.0.1:6001 http://127.0.0.1:6002 http://10.0.0.3:6003

            Each URL is a VM's control plane (http://HOST:CONTROL_PORT, HOST:PORT or [IPV6]:PORT), on \
            this host or another. The page polls them about twice a second through the dashboard, and \
            its controls (tick rate, pause and resume, faults) call the VMs' PATCH /config and \
            /faults; with CONTROL_TOKEN the page asks for the token. A VM that does not answer is shown \
            as unreachable. The page is served on 127.0.0.1 unless --host says otherwise: anyone who \
            can reach it can steer the VMs, as anyone who can reach their control planes can. \
            vmserver cluster --dashboard and vmserver experiment --dashboard serve the same page.
            """)

    @Argument(help: "The VMs' control planes: http://HOST:PORT (CONTROL_HOST and CONTROL_PORT of each VM).")
    var urls: [String] = []
    @Option(
        parsing: .unconditional,
        help: "Port of the page, 0-65535; 0 picks a free one (default \(DashboardArgument.defaultPort)).")
    var port: String?
    @Option(parsing: .unconditional, help: "Address the page is served on (default 127.0.0.1).") var host: String?

    func run() async throws {
        guard !urls.isEmpty else {
            StandardError.write("vmserver: URL: give at least one VM's control plane, e.g. http://127.0.0.1:6001\n")
            throw ExitCode(2)
        }
        var targets: [ControlURL] = []
        for text in urls {
            do {
                targets.append(try ControlURL.parse(text))
            } catch {
                StandardError.write("vmserver: invalid URL \(error)\n")
                throw ExitCode(2)
            }
        }
        let port = try DashboardArgument.port(port ?? String(DashboardArgument.defaultPort), option: "--port")
        let server = try DashboardArgument.start(
            host: host ?? "127.0.0.1", port: port, urls: targets, option: host == nil ? "--port" : "--host/--port")
        print("watching \(targets.count) VM(s); Ctrl-C stops the dashboard")
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        server.stop()
    }
}
