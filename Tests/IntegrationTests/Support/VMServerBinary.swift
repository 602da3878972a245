import Foundation

/// Finds the `vmserver` executable the integration tests start.
enum VMServerBinary {
    /// `VMSERVER_BIN` if set, else the `vmserver` in the build products folder that holds the running
    /// test binary (`swift test` builds every product, so it sits next to the test bundle).
    static let path: String? = locate()

    private static func locate() -> String? {
        if let explicit = ProcessInfo.processInfo.environment["VMSERVER_BIN"], !explicit.isEmpty {
            return explicit
        }
        guard let start = testBinaryPath() else { return nil }
        var directory = URL(fileURLWithPath: start).deletingLastPathComponent()
        while directory.path != "/" && !directory.path.isEmpty {
            let candidate = directory.appendingPathComponent("vmserver").path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// The running test binary (Linux), or the `.xctest` bundle (macOS).
    private static func testBinaryPath() -> String? {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundlePath
        }
        return CommandLine.arguments.first
    }

    /// The binary's path, or a test failure saying how to point the tests at it.
    static func require() throws -> String {
        guard let path else {
            throw LocateError(
                description: "cannot find the vmserver binary next to the test binary; build it or set VMSERVER_BIN")
        }
        return path
    }

    struct LocateError: Error, CustomStringConvertible {
        var description: String
    }
}
