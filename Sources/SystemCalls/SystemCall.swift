#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How this target calls C functions that report failure as -1 and `errno` (as SwiftNIO's
/// System.swift does): `errno` is read at once, into a `SystemError`, and calls that a signal can
/// interrupt are repeated on EINTR. Costs nothing but the call on success (no allocation: the
/// name is a `StaticString` until an error needs it).
enum SystemCall {
    /// Calls `body` until it returns something other than -1 or fails with something other than
    /// EINTR, which it throws as `name`'s `SystemError`.
    @inline(__always)
    static func retryingInterrupts<Result: FixedWidthInteger & SignedInteger>(
        _ name: StaticString, _ body: () -> Result
    ) throws(SystemError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = Errno.current
            if code != .interrupted { throw SystemError(call: "\(name)", errno: code) }
        }
    }

    /// Calls `body` once (for calls that must not be repeated, such as close); -1 throws.
    @inline(__always)
    static func once<Result: FixedWidthInteger & SignedInteger>(
        _ name: StaticString, _ body: () -> Result
    ) throws(SystemError) -> Result {
        let result = body()
        if result == -1 { throw SystemError(call: "\(name)", errno: Errno.current) }
        return result
    }
}
