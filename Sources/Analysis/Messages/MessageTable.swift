/// A hash table from messages (`MessageKey`) to values, for the analysis's per-message hot
/// paths: it behaves as a `Dictionary<MessageKey, Value>` for the operations it has, with a fixed
/// multiplicative hash instead of `Hasher` and each key stored next to its value, so a lookup
/// usually reads one cache line.
///
/// Open addressing with linear probing; a removal shifts the entries after it back (no
/// tombstones), so lookups stay short however many messages come and go. The capacity is a power
/// of two, doubled when more than 3/4 full.
///
/// A slot index (`index(forKey:)`) stays valid until the next insertion or removal.
struct MessageTable<Value> {
    fileprivate struct Slot {
        var key: MessageKey
        /// nil: the slot is empty.
        var value: Value?
    }

    private var slots: [Slot]
    /// 64 minus log2 of the capacity: the hash's top bits pick the home slot.
    private var shift: Int
    private(set) var count = 0

    init() {
        slots = Array(repeating: Slot(key: MessageKey(from: 0, sendSeq: 0), value: nil), count: 16)
        shift = 64 - 4
    }

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private var mask: Int { slots.count &- 1 }

    @inline(__always)
    private func home(_ key: MessageKey) -> Int { Int(truncatingIfNeeded: key.mixed >> UInt64(shift)) }

    /// The slot holding `key`, or nil.
    func index(forKey key: MessageKey) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            var slot = home(key)
            while slots[slot].value != nil {
                if slots[slot].key == key { return slot }
                slot = (slot &+ 1) & mask
            }
            return nil
        }
    }

    /// The value at `slot`, which must hold one (`index(forKey:)`); changed in place.
    subscript(valueAt slot: Int) -> Value {
        get { slots[slot].value! }
        _modify { yield &slots[slot].value! }
    }

    /// The value of `key`; setting nil removes it, setting a value inserts or replaces it.
    subscript(key: MessageKey) -> Value? {
        get { index(forKey: key).map { slots[$0].value! } }
        set {
            if let newValue {
                insert(newValue, forKey: key)
            } else if let slot = index(forKey: key) {
                _ = remove(at: slot)
            }
        }
    }

    /// Removes and returns the value of `key`, if any.
    mutating func removeValue(forKey key: MessageKey) -> Value? {
        guard let slot = index(forKey: key) else { return nil }
        return remove(at: slot)
    }

    private mutating func insert(_ value: Value, forKey key: MessageKey) {
        if let slot = index(forKey: key) {
            slots[slot].value = value
            return
        }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var slot = home(key)
        while slots[slot].value != nil { slot = (slot &+ 1) & mask }
        slots[slot] = Slot(key: key, value: value)
        count += 1
    }

    /// Removes and returns the value at `slot`, which must hold one; the entries after it in its
    /// run move back so that every entry stays reachable from its home slot.
    mutating func remove(at slot: Int) -> Value {
        let removed = slots[slot].value.take()!
        count -= 1
        var hole = slot
        var next = (slot &+ 1) & mask
        while slots[next].value != nil {
            let wanted = home(slots[next].key)
            // The entry at `next` may fill the hole when its home is not in (hole, next]
            // (cyclically): from its home, probing passes the hole before reaching `next`.
            let distanceToNext = (next &- wanted) & mask
            let distanceToHole = (hole &- wanted) & mask
            if distanceToHole < distanceToNext {
                slots[hole] = slots[next]
                slots[next].value = nil
                hole = next
            }
            next = (next &+ 1) & mask
        }
        return removed
    }

    mutating func removeAll() {
        self = MessageTable()
    }

    /// Every entry, in no particular order.
    var entries: [(key: MessageKey, value: Value)] {
        slots.compactMap { slot in slot.value.map { (slot.key, $0) } }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: MessageKey(from: 0, sendSeq: 0), value: nil), count: old.count * 2)
        shift -= 1
        for slot in old {
            guard let value = slot.value else { continue }
            var index = home(slot.key)
            while slots[index].value != nil { index = (index &+ 1) & mask }
            slots[index] = Slot(key: slot.key, value: value)
        }
    }
}

extension MessageTable: Sendable where Value: Sendable {}

extension MessageTable.Slot: Sendable where Value: Sendable {}
