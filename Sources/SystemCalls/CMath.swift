#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The C library's math functions that the standard library lacks, so that a target needing one
/// (chart axes) imports neither Foundation nor Glibc for it. Same results as calling C directly.
public enum CMath {
    /// The base-10 logarithm, `log10(3)`.
    @inlinable
    public static func log10(_ value: Double) -> Double {
        cLog10(value)
    }

    /// `base` raised to `exponent`, `pow(3)`.
    @inlinable
    public static func pow(_ base: Double, _ exponent: Double) -> Double {
        cPow(base, exponent)
    }
}

@usableFromInline
func cLog10(_ value: Double) -> Double {
    #if canImport(Glibc)
        Glibc.log10(value)
    #else
        Darwin.log10(value)
    #endif
}

@usableFromInline
func cPow(_ base: Double, _ exponent: Double) -> Double {
    #if canImport(Glibc)
        Glibc.pow(base, exponent)
    #else
        Darwin.pow(base, exponent)
    #endif
}
