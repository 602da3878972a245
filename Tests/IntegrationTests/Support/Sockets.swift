import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct SocketError: Error, CustomStringConvertible {
    var description: String

    init(_ what: String) {
        description = "\(what): \(String(cString: strerror(errno)))"
    }
}

private func makeTCPSocket() -> Int32 {
    #if canImport(Glibc)
        socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        socket(AF_INET, SOCK_STREAM, 0)
    #endif
}

private func closeSocket(_ descriptor: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(descriptor)
    #else
        _ = Darwin.close(descriptor)
    #endif
}

#if canImport(Glibc)
    private let connectSocket = Glibc.connect
#else
    private let connectSocket = Darwin.connect
#endif

private func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// A TCP listener on 127.0.0.1 holding a kernel-picked port, so nobody else can bind it.
final class TCPListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        descriptor = makeTCPSocket()
        guard descriptor >= 0 else { throw SocketError("socket") }
        var address = loopbackAddress(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let descriptor = descriptor
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(descriptor, raw, length) == 0 && listen(descriptor, 8) == 0
                    && getsockname(descriptor, raw, &length) == 0
            }
        }
        guard bound else {
            let error = SocketError("bind/listen")
            closeSocket(descriptor)
            throw error
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        closeSocket(descriptor)
    }
}

/// A plain blocking TCP client connection to 127.0.0.1, for speaking (or abusing) the peer protocol.
final class RawConnection {
    private var descriptor: Int32

    /// How a read ended.
    enum ReadEnd: Equatable {
        /// The other side closed the connection (end of file or reset), after sending these bytes.
        case closed(received: [UInt8])
        /// Still open when the wait ran out.
        case stillOpen
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Connects, retrying while the port refuses (the server may still be starting) up to `timeout`.
    /// - Parameter receiveBuffer: if set, the socket's receive buffer in bytes, set before
    ///   connecting (so the window is small from the start: a peer that never reads fills it fast).
    static func connect(
        port: Int, timeout: Duration = .seconds(30), receiveBuffer: Int32? = nil
    ) async throws -> RawConnection {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let descriptor = makeTCPSocket()
            guard descriptor >= 0 else { throw SocketError("socket") }
            if var size = receiveBuffer {
                setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            var address = loopbackAddress(port: port)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    connectSocket(descriptor, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            if connected {
                var oneSecond = timeval(tv_sec: 1, tv_usec: 0)
                setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &oneSecond, socklen_t(MemoryLayout<timeval>.size))
                return RawConnection(descriptor: descriptor)
            }
            let error = SocketError("connect to 127.0.0.1:\(port)")
            closeSocket(descriptor)
            if clock.now >= deadline { throw error }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Writes all of `bytes`; false if the connection is already gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                #if canImport(Glibc)
                    Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                #else
                    Darwin.send(descriptor, raw.baseAddress! + offset, raw.count - offset, 0)
                #endif
            }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// Reads until the other side closes the connection, for at most `timeout`.
    func readUntilClosed(timeout: Duration = .seconds(20)) async -> ReadEnd {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while clock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { raw in recv(descriptor, raw.baseAddress, raw.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 || errno == ECONNRESET {
                return .closed(received: received)
            } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                return .closed(received: received)
            }
            await Task.yield()
        }
        return .stillOpen
    }

    /// Reads exactly `count` bytes; nil if the connection closed or `timeout` passed first.
    func read(count: Int, timeout: Duration = .seconds(10)) async -> [UInt8]? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: count)
        while received.count < count && clock.now < deadline {
            let wanted = count - received.count
            let got = buffer.withUnsafeMutableBytes { raw in recv(descriptor, raw.baseAddress, wanted, 0) }
            if got > 0 {
                received += buffer[0..<got]
            } else if got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return nil
            }
            await Task.yield()
        }
        return received.count == count ? received : nil
    }

    /// Shuts the connection down both ways without releasing the descriptor, which unblocks a
    /// `send` waiting in another task.
    func shutdownBoth() {
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
    }

    func close() {
        guard descriptor >= 0 else { return }
        closeSocket(descriptor)
        descriptor = -1
    }

    deinit {
        close()
    }
}
