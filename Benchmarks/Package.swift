// swift-tools-version: 6.1
//
// ModelSpec's benchmarks, side by side with TensorFlow (docs/performance.md;
// run them with scripts/bench or `make bench`).
//
// A package of its own that depends on ModelSpec by path, as a user's package
// does, so that its release build and its TensorFlow bridge stay out of the
// library package. The bench specs in Sources/modelspec-bench/Specs are
// symlinks into ../specs.
import PackageDescription

let package = Package(
    name: "ModelSpecBenchmarks",
    dependencies: [
        .package(name: "ModelSpec", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "modelspec-bench",
            dependencies: [
                .product(name: "ModelSpecRuntime", package: "ModelSpec"),
                .product(name: "ModelSpecCompiler", package: "ModelSpec"),
                .product(name: "ModelSpecGenerator", package: "ModelSpec"),
                .product(name: "TensorBundle", package: "ModelSpec"),
            ],
            plugins: [.plugin(name: "ModelSpecPlugin", package: "ModelSpec")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
