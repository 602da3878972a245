import Foundation
import Testing

@testable import Settings
@testable import VMRuntime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The line a VM prints when a listener cannot start: it names the setting to change, in plain words.
@Suite struct ListenProblemTests {
    static let peers = ListenProblem(portSetting: "PORT", hostSetting: "HOST", host: "127.0.0.1", port: 5001)

    @Test("a port in use")
    func inUse() {
        #expect(
            Self.peers.explain(errno: EADDRINUSE, detail: "")
                == "PORT 5001 is already in use on 127.0.0.1 (another VM or program is listening there); "
                + "choose another PORT")
    }

    @Test("a privileged port names the first port any user may bind")
    func privileged() {
        let problem = ListenProblem(portSetting: "CONTROL_PORT", hostSetting: "CONTROL_HOST", host: "0.0.0.0", port: 80)
        let first = ListenProblem.firstUnprivilegedPort()
        #expect(
            problem.explain(errno: EACCES, detail: "")
                == "CONTROL_PORT 80 on 0.0.0.0 needs privileges this process does not have "
                + "(ports below \(first) are reserved); choose a CONTROL_PORT from \(first) to 65535")
    }

    @Test("an address of another machine names the host setting")
    func notHere() {
        let problem = ListenProblem(portSetting: "PORT", hostSetting: "HOST", host: "203.0.113.7", port: 5001)
        #expect(
            problem.explain(errno: EADDRNOTAVAIL, detail: "").hasPrefix(
                "HOST 203.0.113.7 is not an address of this machine"))
    }

    @Test("any other errno names both settings and says the system's reason")
    func other() {
        let line = Self.peers.explain(errno: EMFILE, detail: "ignored")
        #expect(line == "cannot listen on HOST 127.0.0.1, PORT 5001: \(String(cString: strerror(EMFILE)))")
    }

    @Test("CONTROL_PORT derived from PORT says so")
    func derivedControlPort() throws {
        let settings = try VMSettings.resolve(["VM_ID": "1", "PORT": "5001"], randomSeed: 1)
        #expect(settings.controlPortDerived)
        #expect(
            ListenProblem.control(settings).explain(errno: EADDRINUSE, detail: "").hasPrefix(
                "CONTROL_PORT 6001 (PORT + 1000) is"))
        let explicit = try VMSettings.resolve(["VM_ID": "1", "PORT": "5001", "CONTROL_PORT": "7001"], randomSeed: 1)
        #expect(!explicit.controlPortDerived)
        #expect(
            ListenProblem.control(explicit).explain(errno: EADDRINUSE, detail: "").hasPrefix("CONTROL_PORT 7001 is"))
    }

    struct Opaque: Error {}

    @Test("an error without errno (libmicrohttpd's) is explained by probing the address")
    func probedError() throws {
        let listener = try Listener()
        let problem = ListenProblem(
            portSetting: "CONTROL_PORT", hostSetting: "CONTROL_HOST", host: "127.0.0.1", port: listener.port)
        #expect(ListenProblem.probe(host: "127.0.0.1", port: listener.port) == .failed(EADDRINUSE))
        #expect(problem.explain(Opaque()).hasPrefix("CONTROL_PORT \(listener.port) is already in use on 127.0.0.1"))
        let unknown = ListenProblem(portSetting: "PORT", hostSetting: "HOST", host: "no-such-host.invalid", port: 5001)
        #expect(unknown.explain(Opaque()).hasPrefix("HOST no-such-host.invalid is not an address or a known host name"))
    }

    /// A listening socket on 127.0.0.1 with a port the kernel picked.
    final class Listener {
        let descriptor: Int32
        let port: Int

        init() throws {
            #if canImport(Glibc)
                descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            #else
                descriptor = socket(AF_INET, SOCK_STREAM, 0)
            #endif
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let descriptor = descriptor
            let ok = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    bind(descriptor, raw, length) == 0 && listen(descriptor, 4) == 0
                        && getsockname(descriptor, raw, &length) == 0
                }
            }
            guard ok else { throw POSIXError(.EADDRINUSE) }
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }
}
