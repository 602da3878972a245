import MicroHTTP

/// The page's three files, written here and compiled in (no CDN, no build step, works offline),
/// with the headers they are served with.
public enum DashboardAssets {
    /// One file of the page.
    public struct Asset: Sendable {
        public var headers: [HTTPHeader]
        public var body: [UInt8]
    }

    /// Every answer of the dashboard's API is JSON and never cached.
    public static let jsonHeaders = [
        HTTPHeader("Content-Type", "application/json"), HTTPHeader("Cache-Control", "no-store"),
    ]

    /// The file served at `path`, or nil.
    public static func asset(at path: String) -> Asset? {
        switch path {
        case "/", "/index.html": page
        case "/dashboard.js": script
        case "/dashboard.css": style
        default: nil
        }
    }

    private static func asset(_ text: String, type: String) -> Asset {
        Asset(
            headers: [
                HTTPHeader("Content-Type", type), HTTPHeader("Cache-Control", "no-store"),
                // Everything comes from this server; nothing is fetched from elsewhere.
                HTTPHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:"),
                HTTPHeader("X-Content-Type-Options", "nosniff"),
            ], body: Array(text.utf8))
    }

    static let page = asset(DashboardPage.html, type: "text/html; charset=utf-8")
    static let script = asset(DashboardPage.script, type: "text/javascript; charset=utf-8")
    static let style = asset(DashboardPage.style, type: "text/css; charset=utf-8")
}
