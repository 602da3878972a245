import LamportCore
import Settings

/// A fault a plan (or `vmserver cluster --fault`) sets on one or more VMs during a phase: posted
/// as `POST /faults` at `atSeconds` into the phase, removed (`DELETE /faults/{id}`) at the
/// phase's end unless its `duration_s` has ended it before.
public struct PlannedFault: Sendable, Equatable {
    /// The VMs that get it, ascending.
    public var vms: [Int]
    /// Seconds into the phase.
    public var atSeconds: Double
    public var request: FaultRequest
    public var source: FaultSource

    public init(vms: [Int], atSeconds: Double, request: FaultRequest, source: FaultSource) {
        self.vms = Array(Set(vms)).sorted()
        self.atSeconds = atSeconds
        self.request = request
        self.source = source
    }

    /// The request VM `vm` gets: with several VMs, each leaves itself out of `peers` (so
    /// `{vm: all, peers: [1]}` keeps every VM from sending to VM 1); nil when that leaves no peer.
    public func request(for vm: Int) -> FaultRequest? {
        guard var peers = request.peers, peers.contains(vm) else { return request }
        peers.removeAll { $0 == vm }
        guard !peers.isEmpty else { return nil }
        var narrowed = request
        narrowed.peers = peers
        return narrowed
    }

    /// Checks it against a cluster of `vmCount` VMs and a phase of `duration` seconds: its VMs
    /// and peers are VMs of the cluster, a VM alone names other VMs as peers, and it starts before
    /// the phase ends.
    public func check(vmCount: Int, duration: Double) throws(SettingsError) {
        if let outside = vms.first(where: { !(1...vmCount).contains($0) }) {
            throw source.error("vm", "VM \(outside) is not one of 1-\(vmCount)")
        }
        guard atSeconds >= 0, atSeconds < duration else {
            throw source.error(
                "at_s",
                "expected seconds from 0 to below the phase's \(Self.seconds(duration)) s; got \(Self.seconds(atSeconds))"
            )
        }
        if let peers = request.peers {
            if let outside = peers.first(where: { !(1...vmCount).contains($0) }) {
                throw source.error("peers", "VM \(outside) is not one of 1-\(vmCount)")
            }
            if vms.count == 1, peers.contains(vms[0]) {
                throw source.error("peers", "VM \(vms[0]) cannot name itself; peers are the VMs it sends to")
            }
        }
    }

    /// Seconds as a person writes them: `5`, `2.5`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
