import LamportCore

extension ExperimentPlan {
    /// The rate of each VM in phase `phaseIndex`: fixed, or drawn from the trial's seed and the
    /// phase number; nil when the phase keeps the rates it finds.
    func rates(phaseIndex: Int, seed: UInt64) -> [TickRate]? {
        switch phases[phaseIndex].tickRates {
        case nil: return nil
        case .fixed(let rates): return rates
        case .random(let range):
            return (1...vms).map { vm in
                var random = SeededRandom(seed: seed &+ UInt64(phaseIndex) &* 0x9E37_79B9, vmID: vm)
                return .perSecond(Double(random.roll(in: range)))
            }
        }
    }

    /// The `PATCH /config` body for VM `vm` in phase `phaseIndex`: what that phase sets (its rate
    /// and max_action when it has them, and whether the VM is paused), or with `effective`, every
    /// setting the VM should have then, also those an earlier phase set and this one keeps (for
    /// a VM restarted with its starting settings).
    func configJSON(vm: Int, phaseIndex: Int, seed: UInt64, effective: Bool = false) -> String {
        var rate: TickRate?
        var maxAction: Int?
        // A VM starts with the first phase's settings; later phases change them.
        let changes = effective ? Array((0...phaseIndex).dropFirst()) : [phaseIndex]
        for index in changes {
            if let rates = rates(phaseIndex: index, seed: seed) { rate = rates[vm - 1] }
            if let value = phases[index].maxAction { maxAction = value }
        }
        var fields: [String] = []
        if let rate { fields.append("\"tick_rate\": " + (rate == .unthrottled ? "\"max\"" : rate.description)) }
        if let maxAction { fields.append("\"max_action\": \(maxAction)") }
        fields.append("\"paused\": \(phases[phaseIndex].paused.contains(vm))")
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
