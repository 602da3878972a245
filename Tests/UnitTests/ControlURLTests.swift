import Testing

@testable import Orchestration

/// `ControlURL`: the VM addresses `vmserver collect` takes.
@Suite struct ControlURLTests {
    @Test(
        "http://HOST:PORT, HOST:PORT and [IPV6]:PORT, with or without a trailing slash",
        arguments: [
            ("http://10.66.0.11:6000", "10.66.0.11", 6000), ("10.66.0.11:6000/", "10.66.0.11", 6000),
            ("vm-0.vm.default.svc:6001", "vm-0.vm.default.svc", 6001), ("http://[::1]:6001/", "::1", 6001),
        ])
    func accepted(text: String, host: String, port: Int) throws {
        let url = try ControlURL.parse(text)
        #expect(url.host == host && url.port == port)
    }

    @Test("the description is a URL curl takes")
    func description() {
        #expect(ControlURL(host: "10.0.0.1", port: 6001).description == "http://10.0.0.1:6001")
        #expect(ControlURL(host: "::1", port: 6001).description == "http://[::1]:6001")
    }

    @Test(
        "anything else is refused with the text and what is expected",
        arguments: [
            "https://a:1", "10.0.0.1", "a:0", "a:65536", "a:x", ":6001", "http://a:1/log", "[::1]6001", "a b:1",
        ])
    func refused(text: String) {
        #expect {
            try ControlURL.parse(text)
        } throws: { error in
            "\(error)".hasPrefix(text)
        }
    }
}
