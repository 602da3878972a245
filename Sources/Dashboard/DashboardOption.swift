/// The `--dashboard [PORT]` option of `vmserver cluster` and `vmserver experiment`, whose value may
/// be left out, and the port check it shares with `vmserver dashboard --port`.
public enum DashboardOption {
    /// The port when none is given.
    public static let defaultPort = 8090

    /// The arguments with `defaultPort` after each `--dashboard` that has no value (the next
    /// argument is missing or another option), so an argument parser sees `--dashboard PORT`.
    public static func normalized(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            result.append(argument)
            guard argument == "--dashboard" else { continue }
            let next = index + 1 < arguments.count ? arguments[index + 1] : nil
            if next == nil || next?.hasPrefix("-") == true { result.append(String(defaultPort)) }
        }
        return result
    }

    /// A TCP port from 0 to 65535 (0 picks a free one), or nil.
    public static func port(_ text: String) -> Int? {
        guard let port = Int(text), (0...65535).contains(port) else { return nil }
        return port
    }
}
