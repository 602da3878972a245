import ArgumentParser
import Dashboard
import Foundation
import Orchestration
import SystemCalls

/// The `--dashboard [PORT]` option of `cluster` and `experiment`, and what they share with
/// `vmserver dashboard`: the port check and starting the server.
enum DashboardArgument {
    /// The port when `--dashboard` is given without one.
    static let defaultPort = DashboardOption.defaultPort

    /// A port 0-65535 (0 picks a free one), or one line naming `option` and exit 2.
    static func port(_ text: String, option: String) throws -> Int {
        guard let port = DashboardOption.port(text) else {
            StandardError.write(
                "vmserver: \(option): expected a TCP port from 0 to 65535 (0 picks a free one); got '\(text)'\n")
            throw ExitCode(2)
        }
        return port
    }

    /// Starts the dashboard and prints its address; a port that cannot be bound is one line and exit 2.
    static func start(host: String, port: Int, urls: [ControlURL], option: String) throws -> DashboardServer {
        let server: DashboardServer
        do {
            server = try DashboardServer(host: host, port: port, urls: urls)
        } catch {
            StandardError.write("vmserver: \(option): \(error)\n")
            throw ExitCode(2)
        }
        StandardOutput.write("dashboard: \(server.url)\n")
        return server
    }
}
