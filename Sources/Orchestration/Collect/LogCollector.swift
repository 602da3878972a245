import EventLog
import Foundation
import NIOCore

/// `vmserver collect`: copies VMs' event logs from their control planes (`GET /status` for the
/// VM's id, then `GET /log` a page at a time) into a run folder, as `vm<ID>.jsonl` byte for byte.
///
/// Each copy continues from its last complete line (`CollectedLogFile`), so running it again,
/// or after an interruption, adds only what is missing. Before continuing a copy, it checks that
/// the VM still serves the copy's last line unchanged. VMs are collected side by side; one that
/// cannot be reached, or that serves something else, is reported and the others are collected.
public struct LogCollector: Sendable {
    /// The run folder.
    public var directory: String
    /// Keep polling each VM until it has stopped (state `stopped`) and its last page is read.
    public var follow: Bool
    /// How long to wait between polls when following.
    public var pollInterval: Duration
    /// Lines per `GET /log` request (the control plane's maximum is 1000).
    public var pageLimit: Int
    /// How many times in a row a VM may fail to answer while followed before it counts as gone.
    public var retries: Int
    private let client: ControlClient

    public init(
        directory: String, follow: Bool = false, pollInterval: Duration = .milliseconds(500), pageLimit: Int = 1000,
        retries: Int = 5, client: ControlClient = ControlClient(timeout: .seconds(10))
    ) {
        self.directory = directory
        self.follow = follow
        self.pollInterval = pollInterval
        self.pageLimit = pageLimit
        self.retries = retries
        self.client = client
    }

    /// Collects every VM; `progress` gets each VM's summary line as it finishes. The result is in
    /// the order of `urls`.
    public func collect(
        _ urls: [ControlURL], progress: @escaping @Sendable (CollectedVM) -> Void
    ) async
        -> [CollectedVM]
    {
        // First every VM's id, so two URLs of one VM are told apart before either file is opened.
        var results = await withTaskGroup(of: (Int, CollectedVM).self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask { (index, await identify(url)) }
            }
            var found = [CollectedVM](repeating: CollectedVM(url: ControlURL(host: "", port: 0)), count: urls.count)
            for await (index, vm) in group { found[index] = vm }
            return found
        }
        for index in results.indices where results[index].problem == nil {
            if let earlier = results[..<index].first(where: { $0.vmID == results[index].vmID && $0.problem == nil }) {
                results[index].sameVMAs = earlier.url
            }
        }
        return await withTaskGroup(of: (Int, CollectedVM).self) { group in
            for (index, vm) in results.enumerated() {
                guard vm.problem == nil, vm.sameVMAs == nil else {
                    progress(vm)
                    continue
                }
                group.addTask {
                    let done = await copy(vm)
                    progress(done)
                    return (index, done)
                }
            }
            for await (index, vm) in group { results[index] = vm }
            return results
        }
    }

    /// The VM's id from its `GET /status`; when following, a VM still starting gets `retries` polls.
    private func identify(_ url: ControlURL) async -> CollectedVM {
        var vm = CollectedVM(url: url)
        var failures = 0
        while vm.vmID == nil {
            do {
                vm.vmID = try await status(of: url).vmID
            } catch is ControlClient.Failure where follow && failures < retries {
                failures += 1
                try? await Task.sleep(for: pollInterval)
            } catch {
                vm.problem = "cannot reach it: \(error); its log is not collected"
                return vm
            }
        }
        return vm
    }

    /// Copies one VM's log into its file, following it when asked.
    private func copy(_ vm: CollectedVM) async -> CollectedVM {
        var vm = vm
        guard let vmID = vm.vmID else { return vm }
        let file: CollectedLogFile
        do {
            file = try CollectedLogFile(directory: directory, vmID: vmID)
        } catch {
            vm.problem = "\(error)"
            return vm
        }
        defer { file.close() }
        vm.path = file.path
        vm.repairedBytes = file.repairedBytes
        let startLines = file.lastSeq
        let startBytes = file.size
        do {
            try await checkContinues(file, at: vm.url)
            var failures = 0
            while true {
                // The state before the last pages: a VM stopped then has written its last line.
                let stopped: Bool
                do {
                    stopped = try await status(of: vm.url).state == "stopped"
                    try await drain(vm.url, into: file)
                    failures = 0
                } catch is ControlClient.Failure where follow && failures < retries {
                    // A VM followed over a network may miss an answer; a few in a row mean it is gone.
                    failures += 1
                    try await Task.sleep(for: pollInterval)
                    continue
                }
                vm.complete = stopped
                if stopped || !follow { break }
                try await Task.sleep(for: pollInterval)
            }
        } catch let error as ControlClient.Failure {
            vm.problem =
                "stopped answering (\(error)); collected up to line \(file.lastSeq)"
                + (follow ? " (a VM answers after its stop only with SERVE_AFTER_STOP)" : "")
        } catch {
            vm.problem = "\(error)"
        }
        vm.lines = file.lastSeq
        vm.bytes = file.size
        vm.newLines = file.lastSeq - startLines
        vm.newBytes = file.size - startBytes
        return vm
    }

    /// Before adding to a copy, the VM must still serve the copy's last line, byte for byte.
    private func checkContinues(_ file: CollectedLogFile, at url: ControlURL) async throws {
        guard file.lastSeq > 0 else { return }
        let page = try await page(of: url, after: file.lastSeq - 1, limit: 1)
        guard let line = page.lines.first, line.elementsEqual(file.lastLine) else {
            throw CollectProblem(
                description: "\(file.path) is not a copy of this VM's log: its line \(file.lastSeq) is not the "
                    + "VM's line \(file.lastSeq); it was left as it is (move it away, or collect into another folder)")
        }
    }

    /// Appends pages until one comes back short: everything the VM had logged when it was asked.
    private func drain(_ url: ControlURL, into file: CollectedLogFile) async throws {
        while true {
            let page = try await page(of: url, after: file.lastSeq, limit: pageLimit)
            do {
                try file.append(page.lines)
            } catch  where error.isWriteFailure {
                throw CollectProblem(description: "\(error)")
            } catch {
                throw CollectProblem(description: "\(url) served a page that does not continue its log: \(error)")
            }
            if page.lines.count < pageLimit { return }
        }
    }

    private func status(of url: ControlURL) async throws -> StatusReport {
        let body = try await get(url, path: "/status")
        do {
            return try JSONDecoder().decode(StatusReport.self, from: Data(body))
        } catch {
            throw CollectProblem(description: "\(url)/status is not a VM's status (is it a vmserver control plane?)")
        }
    }

    private func page(of url: ControlURL, after: Int, limit: Int) async throws -> LogPage {
        let body = try await get(url, path: "/log?after=\(after)&limit=\(limit)")
        do {
            return try LogPage.parse(body)
        } catch {
            throw CollectProblem(description: "\(url)/log answered \(error)")
        }
    }

    private func get(_ url: ControlURL, path: String) async throws -> [UInt8] {
        let response = try await client.request(.GET, host: url.host, port: url.port, path: path)
        guard response.status == 200 else {
            let text = String(decoding: response.body.prefix(200), as: UTF8.self)
            throw CollectProblem(
                description: "GET \(path) answered \(response.status)\(text.isEmpty ? "" : " \(text)") "
                    + "(is it a vmserver control plane?)")
        }
        return response.body
    }
}

/// A VM that answers, but not as a collect needs.
struct CollectProblem: Error, CustomStringConvertible {
    var description: String
}
