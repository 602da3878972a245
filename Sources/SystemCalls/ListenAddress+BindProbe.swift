#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ListenAddress {
    /// Checks that a listening TCP socket could bind this address now: opens a socket, binds it
    /// and closes it again at once, without listening. Throws the `SystemError` of `socket(2)` or
    /// `bind(2)` (`Errno.addressInUse`, `.permissionDenied`, `.addressNotAvailable`, ...).
    /// - Parameter reuseAddress: set SO_REUSEADDR first, as listeners that restart at once do,
    ///   so that a port whose old connections linger in TIME_WAIT counts as free.
    public func probeBind(reuseAddress: Bool) throws(SystemError) {
        let family = isIPv6 ? AF_INET6 : AF_INET
        let descriptor = try SystemCall.once("socket") { socket(family, streamSocketType | closeOnExecSocketFlag, 0) }
        defer { _ = systemClose(descriptor) }
        if reuseAddress {
            // Best effort: without it the bind can only be stricter.
            var one: Int32 = 1
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        let length = byteCount
        _ = try SystemCall.once("bind") { withSockaddr { bind(descriptor, $0, length) } }
    }
}
