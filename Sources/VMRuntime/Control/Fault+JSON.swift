import EventLog
import JSONText
import LamportCore

extension Fault {
    /// The fault as `GET /faults` and `POST /faults` show it: `id`, `kind`, `peers` (every peer
    /// of `allPeers` when it names none; empty for clock_skew), its parameters, `started` and
    /// `ends` (RFC 3339 in UTC; `ends` null without a duration).
    func json(allPeers: [Int]) -> [UInt8] {
        var formatter = RFC3339Formatter()
        var writer = JSONObjectWriter()
        writer.field("id", id)
        writer.field("kind", kind.name)
        var peersText: [UInt8] = []
        if case .clockSkew = kind {
            JSONBytes.appendInts([], to: &peersText)
        } else {
            JSONBytes.appendInts(peers ?? allPeers, to: &peersText)
        }
        writer.field("peers", raw: peersText)
        for field in kind.parameterFields {
            var text: [UInt8] = []
            EventLineEncoder.appendValue(field.value, to: &text)
            writer.field(field.key, raw: text)
        }
        writer.field("started", formatter.string(WallTime(microseconds: started)))
        writer.field("ends", ends.map { formatter.string(WallTime(microseconds: $0)) })
        return writer.finished()
    }
}
