import NIOCore
import Testing

@testable import Settings
@testable import VMRuntime

/// A dialer outlives its node when a VM gives up (startup timeout) while its connect attempts are
/// still on their way; an attempt that fails then must do nothing (it used to read a destroyed
/// node: "Attempted to read an unowned reference but object was already destroyed").
struct PeerDialerTests {
    struct Failed: Error {}

    @Test("an attempt that fails after the node is gone does nothing")
    func failureAfterTheNodeIsGone() throws {
        var fixture: VMNodeStateTests.Fixture? = try VMNodeStateTests.Fixture()
        let dialer = PeerDialer(endpoint: PeerEndpoint(id: 2, host: "127.0.0.1", port: 1), node: fixture!.node)
        weak let node = fixture?.node
        fixture = nil
        try #require(node == nil, "the node should be gone once its fixture is")
        dialer.attemptFailed(Failed())
        dialer.connectionEnded(wasLinked: false)
        dialer.linkLost()
        dialer.dial()
        #expect(!dialer.isDialingWithoutFailure, "the failures still count")
    }
}
