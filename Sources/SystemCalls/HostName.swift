#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// This machine's host name (`gethostname(2)`): in a container or a Kubernetes pod, the name the
/// engine gave it (a StatefulSet pod's name, such as `vm-0`).
public enum HostName {
    /// The host name, or nil if the system call fails or it is empty.
    public static func current() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}
