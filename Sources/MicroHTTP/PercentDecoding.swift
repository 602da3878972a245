/// The percent-decoding of request paths and query arguments that the HTTP server hands
/// libmicrohttpd (MHD_OPTION_UNESCAPE_CALLBACK).
///
/// It decodes `%HH` as libmicrohttpd's own decoder does, with one exception: `%00` stays as it is.
/// libmicrohttpd decodes in place and hands the handler a C string, so a decoded NUL would cut
/// it: `/status%00x` would be served as `/status`, and `?limit=5%00x` read as `limit=5`. Kept
/// as `%00`, such a path is simply unknown (404) and such a value invalid (400).
enum PercentDecoding {
    /// Decodes the NUL-terminated `string` in place (the result is never longer) and
    /// NUL-terminates it again; returns its new length. The result holds no NUL byte.
    static func decodeInPlace(_ string: UnsafeMutablePointer<CChar>) -> Int {
        var read = 0
        var write = 0
        while string[read] != 0 {
            // `hexValue` of the terminating NUL is nil, so nothing past it is read.
            if string[read] == percent, let high = hexValue(string[read + 1]), let low = hexValue(string[read + 2]),
                high != 0 || low != 0
            {
                string[write] = CChar(bitPattern: high << 4 | low)
                read += 3
            } else {
                string[write] = string[read]
                read += 1
            }
            write += 1
        }
        string[write] = 0
        return write
    }

    private static let percent = CChar(UInt8(ascii: "%"))

    private static func hexValue(_ character: CChar) -> UInt8? {
        let byte = UInt8(bitPattern: character)
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
