// swift-tools-version:6.2
import PackageDescription

/// libFuzzer targets for the inputs that come from outside a VM: peer frames (with the
/// handshake) and the control plane's request bodies. Built only by scripts/fuzz, with
/// `-sanitize=fuzzer`, so the main package's `swift build` never sees them.
let package = Package(
    name: "vmserver-fuzz",
    dependencies: [.package(name: "scale-models", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "FuzzPeerFrames",
            dependencies: [
                "CFuzzDriver",
                .product(name: "LamportCore", package: "scale-models"),
                .product(name: "VMRuntime", package: "scale-models"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "FuzzConfigBody",
            dependencies: [
                "CFuzzDriver",
                .product(name: "JSONText", package: "scale-models"),
                .product(name: "LamportCore", package: "scale-models"),
                .product(name: "VMRuntime", package: "scale-models"),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
