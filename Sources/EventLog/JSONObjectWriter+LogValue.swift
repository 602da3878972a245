import JSONText
import LamportCore

extension JSONObjectWriter {
    /// A log value, written exactly as the event log writes it.
    public mutating func field(_ key: String, _ value: LogValue) {
        var bytes: [UInt8] = []
        EventLineEncoder.appendValue(value, to: &bytes)
        field(key, raw: bytes)
    }
}
