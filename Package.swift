// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "git-coord",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "git-coord", targets: ["git-coord"]),
        .executable(name: "git-coord-mcp", targets: ["git-coord-mcp"]),
        .library(name: "GitCoord", targets: ["GitCoord"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibgit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // libgit2 initialization without the CA bundle load (see its header for why).
        .target(
            name: "CLibgit2Init",
            dependencies: ["CLibgit2"]
        ),
        .target(
            name: "GitCoordStore",
            dependencies: ["CLibgit2", "CLibgit2Init"],
            swiftSettings: strict
        ),
        .target(
            name: "GitCoord",
            dependencies: [
                "GitCoordStore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "git-coord",
            dependencies: [
                "GitCoord",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // The MCP server (Docs/MCP.md): its own library and binary, so that the SDK and all of
        // Foundation stay out of the git-coord binary that every CLI call starts.
        .target(
            name: "GitCoordMCP",
            dependencies: [
                "GitCoord",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "git-coord-mcp",
            dependencies: ["GitCoordMCP"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "coord-bench",
            dependencies: ["GitCoord", "GitCoordStore", "CoordTestSupport"],
            swiftSettings: strict
        ),
        .target(
            name: "CoordTestSupport",
            dependencies: ["GitCoord", "GitCoordStore"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GitCoordStoreTests",
            dependencies: ["GitCoordStore", "CoordTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GitCoordTests",
            dependencies: [
                "GitCoord", "GitCoordStore", "CoordTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["GitCoord", "GitCoordStore", "CoordTestSupport", "git-coord", "git-coord-mcp"],
            swiftSettings: strict
        ),
    ]
)
