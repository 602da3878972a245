/// Writes text for people to standard error, unbuffered.
public enum StandardError {
    /// Writes `text` whole; a failed write (standard error closed, say) is ignored, as there is
    /// nowhere left to report it.
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            try? FileDescriptor.standardError.writeAll(UnsafeRawBufferPointer(bytes))
        }
    }
}
