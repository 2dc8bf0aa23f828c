// swift-tools-version: 6.1
//
// A package that uses ModelSpec the way a user's package does: it depends on
// ModelSpec and applies the build plugin to a target that holds specs.
// scripts/test-consumer builds and runs it with ModelSpec checked out beside it
// as ../ModelSpec.
import PackageDescription

let package = Package(
    name: "Consumer",
    dependencies: [
        .package(path: "../ModelSpec"),
    ],
    targets: [
        .executableTarget(
            name: "Consumer",
            dependencies: [.product(name: "ModelSpecRuntime", package: "ModelSpec")],
            plugins: [.plugin(name: "ModelSpecPlugin", package: "ModelSpec")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
