// swift-tools-version:6.2
import PackageDescription

/// Our own targets build without warnings; dependencies are left alone. Release builds optimise
/// across our modules too (the hot paths cross them: the analysis reads through EventLog, the VM
/// writes through it), as they did when everything was one module.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "scale-models",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vmserver", targets: ["vmserver"]),
        // The fuzz package (Fuzz/) builds against these.
        .library(name: "LamportCore", targets: ["LamportCore"]),
        .library(name: "VMRuntime", targets: ["VMRuntime"]),
        .library(name: "JSONText", targets: ["JSONText"]),
    ],
    // Every package is pinned to one exact version, the ones the code uses directly and the ones
    // they bring in, so a build from a clean clone (and `docker build`) always compiles the same
    // code; Package.resolved is not committed. Raise a version here on purpose, then run the tests.
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        // Brought in by the packages above; pinned here so their versions cannot move either.
        .package(url: "https://github.com/apple/swift-atomics", exact: "1.3.0"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
        .package(url: "https://github.com/apple/swift-async-algorithms", exact: "1.1.4"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .target(
            name: "SystemCalls",
            swiftSettings: strict
        ),
        .target(
            name: "LamportCore",
            dependencies: [
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "JSONText",
            swiftSettings: strict
        ),
        .target(
            name: "EventLog",
            dependencies: ["LamportCore", "JSONText", "SystemCalls"],
            swiftSettings: strict
        ),
        .target(
            name: "Settings",
            dependencies: ["LamportCore", "JSONText", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "MicroHTTP",
            dependencies: [
                "CMicroHTTPD", "JSONText", "SystemCalls",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "VMRuntime",
            dependencies: [
                "LamportCore", "EventLog", "JSONText", "MicroHTTP", "Settings", "SystemCalls",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SVGCharts",
            dependencies: ["SystemCalls"],
            swiftSettings: strict
        ),
        .target(
            name: "Analysis",
            dependencies: ["LamportCore", "EventLog", "SVGCharts"],
            swiftSettings: strict
        ),
        .target(
            name: "Orchestration",
            dependencies: [
                "LamportCore", "EventLog", "JSONText", "Settings", "SVGCharts", "Analysis", "SystemCalls",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Dashboard",
            dependencies: [
                "LamportCore", "EventLog", "JSONText", "MicroHTTP", "Orchestration",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "vmserver",
            dependencies: [
                "EventLog", "Settings", "SystemCalls", "VMRuntime", "Analysis", "Orchestration", "Dashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Already linked through the packages above; named so their pins count (an
                // unused package dependency is a SwiftPM warning).
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "UnitTests",
            dependencies: [
                "LamportCore", "EventLog", "JSONText", "Settings", "MicroHTTP", "SystemCalls", "VMRuntime", "SVGCharts",
                "Analysis", "Orchestration", "Dashboard",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "LamportCore", "EventLog", "JSONText", "Settings", "MicroHTTP", "SystemCalls", "VMRuntime", "SVGCharts",
                "Analysis", "Orchestration", "Dashboard",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
