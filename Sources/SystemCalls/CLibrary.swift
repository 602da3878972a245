#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The C functions whose names `FileDescriptor`'s methods reuse (inside a method named `read`, a
// plain `read(...)` means the method), under names of their own.

@inline(__always)
func systemOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Glibc)
        Glibc.open(path, flags, mode)
    #else
        Darwin.open(path, flags, mode)
    #endif
}

@inline(__always)
func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(descriptor)
    #else
        Darwin.close(descriptor)
    #endif
}

@inline(__always)
func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
    #else
        Darwin.read(descriptor, buffer, count)
    #endif
}

@inline(__always)
func systemPread(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ offset: off_t) -> Int {
    #if canImport(Glibc)
        Glibc.pread(descriptor, buffer, count, offset)
    #else
        Darwin.pread(descriptor, buffer, count, offset)
    #endif
}

@inline(__always)
func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
    #else
        Darwin.write(descriptor, buffer, count)
    #endif
}

/// SOCK_STREAM, an enum case on Glibc and an integer on Darwin.
var streamSocketType: Int32 {
    #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
    #else
        SOCK_STREAM
    #endif
}

/// SOCK_CLOEXEC where `socket(2)` takes it (Linux), so a probe socket never leaks into a child
/// process; 0 elsewhere.
var closeOnExecSocketFlag: Int32 {
    #if canImport(Glibc)
        Int32(SOCK_CLOEXEC.rawValue)
    #else
        0
    #endif
}
