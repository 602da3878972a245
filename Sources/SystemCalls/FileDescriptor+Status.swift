#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileDescriptor {
    /// The size of the file in bytes (`fstat(2)`).
    public func size() throws(SystemError) -> Int {
        var status = stat()
        _ = try SystemCall.retryingInterrupts("fstat") { fstat(rawValue, &status) }
        return Int(status.st_size)
    }

    /// Takes an exclusive lock on the whole file (`flock(2)` with LOCK_EX | LOCK_NB) without
    /// waiting: throws with `Errno.wouldBlock` when another open file description holds a lock.
    /// The lock lasts until the descriptor (and every copy of it) is closed.
    public func lockExclusivelyWithoutWaiting() throws(SystemError) {
        _ = try SystemCall.retryingInterrupts("flock") { flock(rawValue, LOCK_EX | LOCK_NB) }
    }

    /// Whether the descriptor is a terminal (`isatty(3)`), e.g. to redraw progress in place.
    public var isTerminal: Bool { isatty(rawValue) == 1 }
}
