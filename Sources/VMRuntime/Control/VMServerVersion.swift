/// The version of vmserver, as `/metrics` reports it (`vmserver_info{version}`).
///
/// The project has no release process yet; this is the one place to bump. It follows the
/// control API's version in openapi.yaml.
public enum VMServerVersion {
    public static let current = "1.0.0"
}
