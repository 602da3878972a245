import JSONText

/// Any value of a YAML or JSON plan, decoded as the `JSONValue` the fault parser reads, so a
/// plan's fault entries are checked by the same code as a `POST /faults` body.
///
/// Numbers are tried before booleans and strings, so YAML's `1` stays a number; object members
/// come out in key order (a decoded mapping keeps none).
struct PlanValue: Decodable {
    var value: JSONValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let number = try? container.decode(Double.self) {
            value = .number(number)
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let items = try? container.decode([PlanValue].self) {
            value = .array(items.map(\.value))
        } else {
            let members = try container.decode([String: PlanValue].self)
            value = .object(members.sorted { $0.key < $1.key }.map { JSONValue.Member($0.key, $0.value.value) })
        }
    }
}
