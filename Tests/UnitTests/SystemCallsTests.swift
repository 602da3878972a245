import Foundation
import Testing

@testable import SystemCalls

/// The wrappers read errno into a `SystemError` and behave as the C calls do.
@Suite struct SystemCallsTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("SystemCallsTests-\(UUID().uuidString)").path
    }

    @Test("a failed open names the call and the system's reason")
    func openMissing() {
        #expect(throws: SystemError(call: "open", errno: Errno(rawValue: ENOENT))) {
            try FileDescriptor.open("/no/such/folder/file", .readOnly)
        }
        let error = SystemError(call: "open", errno: Errno(rawValue: ENOENT))
        #expect(error.reason == String(cString: strerror(ENOENT)))
        #expect(error.description == "open: " + error.reason)
    }

    @Test("write, size, pread, truncate and read on a file")
    func fileRoundTrip() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try FileDescriptor.open(path, .readWrite, options: [.create, .append])
        defer { try? file.close() }
        try Array("hello world".utf8).withUnsafeBytes { try file.writeAll($0) }
        try file.sync()
        #expect(try file.size() == 11)
        var bytes = [UInt8](repeating: 0, count: 5)
        let count = try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: 6) }
        #expect(count == 5 && bytes == Array("world".utf8))
        try file.truncate(to: 5)
        #expect(try FileSystem.contents(of: path, maxBytes: 100) == Array("hello".utf8))
        #expect(try FileSystem.contents(of: path, maxBytes: 2) == Array("he".utf8))
    }

    @Test("a second exclusive lock on the same file would block")
    func lockTwice() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try FileDescriptor.open(path, .readWrite, options: .create)
        defer { try? first.close() }
        let second = try FileDescriptor.open(path, .readWrite)
        defer { try? second.close() }
        try first.lockExclusivelyWithoutWaiting()
        #expect(throws: SystemError(call: "flock", errno: .wouldBlock)) {
            try second.lockExclusivelyWithoutWaiting()
        }
    }

    @Test("a folder that exists already is reported as such")
    func makeDirectoryTwice() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileSystem.makeDirectory(path)
        try FileSystem.checkWritable(path)
        #expect(throws: SystemError(call: "mkdir", errno: .fileExists)) { try FileSystem.makeDirectory(path) }
    }

    @Test("the bind probe finds a port in use, and the port free once released")
    func bindProbe() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(listener, raw, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, raw, &length) == 0
            }
        }
        try #require(listening)
        let port = UInt16(bigEndian: address.sin_port)
        for probe in [
            ListenAddress.loopbackIPv4(port: port), try ListenAddress.resolve(host: "127.0.0.1", port: Int(port)),
        ] {
            #expect(throws: SystemError(call: "bind", errno: .addressInUse)) { try probe.probeBind(reuseAddress: true) }
        }
        #expect(throws: AddressResolutionError.self) {
            try ListenAddress.resolve(host: "no-such-host.invalid", port: 1)
        }
    }

    @Test("resource limits read back as set")
    func openFiles() throws {
        let limit = try ResourceLimit.openFiles()
        #expect(limit.soft <= limit.hard)
        try ResourceLimit.setOpenFiles(limit)
        #expect(try ResourceLimit.openFiles() == limit)
    }
}
