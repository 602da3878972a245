#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A name that at most one process of this host (of this network namespace) holds at a time: a
/// Unix socket bound in Linux's abstract namespace. The kernel frees it when `release()` is called
/// or the holding process ends, however it ends, so no stale claim outlives a crash, and no file
/// is left behind. Any user can claim any free name. Children do not inherit it (close-on-exec).
///
/// Elsewhere than Linux there is no abstract namespace, and when no socket can be made (no
/// descriptor left) there is nothing to hold: the claim succeeds without excluding anyone, and
/// only the caller's own bookkeeping keeps its claims apart.
public final class HostWideClaim: @unchecked Sendable {
    // Safe: the descriptor is set once in `init` and closed once, under the caller's lock.
    private var descriptor: Int32

    /// Claims `name` (at most 100 bytes); nil when another process holds it now.
    public init?(name: String) {
        #if os(Linux)
            let utf8 = Array(name.utf8)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let capacity = MemoryLayout.size(ofValue: address.sun_path)
            guard utf8.count < capacity else { return nil }
            let socketDescriptor = socket(AF_UNIX, streamSocketType | closeOnExecSocketFlag, 0)
            guard socketDescriptor >= 0 else {
                descriptor = -1
                return
            }
            withUnsafeMutableBytes(of: &address.sun_path) { path in
                path[0] = 0  // the abstract namespace: the name starts after a zero byte
                for (index, byte) in utf8.enumerated() { path[index + 1] = byte }
            }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + utf8.count)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) }
            }
            guard bound == 0 else {
                _ = systemClose(socketDescriptor)
                return nil
            }
            descriptor = socketDescriptor
        #else
            descriptor = -1
        #endif
    }

    /// Gives the name up; another process can claim it from now on. Calling it again does nothing.
    public func release() {
        guard descriptor >= 0 else { return }
        _ = systemClose(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
