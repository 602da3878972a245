/// Writes the commands' output for people (progress, summaries) to standard output, unbuffered.
public enum StandardOutput {
    /// Writes `text` whole. A failed write is ignored: when the reader has gone (`vmserver cluster
    /// | head`, a closed terminal) the run still stops its VMs cleanly and writes its folder, rather
    /// than dying halfway with its VMs left running.
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            try? FileDescriptor.standardOutput.writeAll(UnsafeRawBufferPointer(bytes))
        }
    }
}
