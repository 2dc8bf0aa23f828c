// swift-tools-version: 6.1
//
// ModelSpec: YAML model specs compiled into Swift layer types that reproduce
// TensorFlow 1's variable names, run on OpenBLAS and load TensorFlow checkpoints.
import PackageDescription

let package = Package(
    name: "ModelSpec",
    products: [
        .library(name: "ModelSpecRuntime", targets: ["ModelSpecRuntime"]),
        .library(name: "ModelSpecCompiler", targets: ["ModelSpecCompiler"]),
        .library(name: "ModelSpecInterpreter", targets: ["ModelSpecInterpreter"]),
        .library(name: "TensorBundle", targets: ["TensorBundle"]),
        .library(name: "ModelSpecGenerator", targets: ["ModelSpecGenerator"]),
        .library(name: "ModelSpecCheckpoints", targets: ["ModelSpecCheckpoints"]),
        .executable(name: "modelspec", targets: ["modelspec"]),
        .executable(name: "modelspec-generate", targets: ["modelspec-generate"]),
        .plugin(name: "ModelSpecPlugin", targets: ["ModelSpecPlugin"]),
        .plugin(name: "GenerateModelSources", targets: ["GenerateModelSources"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // System libraries.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // Spec front end: YAML with source locations, TensorFlow's naming rules, the compiler.
        .target(name: "LocatedYAML", dependencies: ["CYAML"]),
        .target(name: "TFNaming"),
        .target(name: "ModelSpecCompiler", dependencies: ["LocatedYAML", "TFNaming"]),

        // The generator: checked models to Swift source, rendered from templates/ (compiled in as
        // Render/EmbeddedTemplates.swift by `swift run embed-templates`; a test keeps them in step).
        .target(
            name: "ModelSpecGenerator",
            dependencies: ["ModelSpecCompiler", "TFNaming", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .executableTarget(name: "embed-templates"),

        // The build plugin for users' targets, and the light tool it runs (no runtime, no OpenBLAS).
        // Both plugins take a target's specs by the rule of ModelSpecCompiler's SpecFile.
        .executableTarget(name: "modelspec-generate", dependencies: ["ModelSpecCompiler", "ModelSpecGenerator"]),
        .plugin(name: "ModelSpecPlugin", capability: .buildTool(), dependencies: ["modelspec-generate"]),
        // `swift package --allow-writing-to-package-directory generate-model-sources`: the same files, written
        // into the package for reading and IDEs.
        .plugin(
            name: "GenerateModelSources",
            capability: .command(
                intent: .custom(verb: "generate-model-sources",
                                description: "Write the Swift files generated from the specs into GeneratedModelSources/, for reading"),
                permissions: [.writeToPackageDirectory(reason: "writes the Swift files generated from the specs into the package")]
            ),
            dependencies: ["modelspec-generate"]
        ),

        // Runtime: tensors on OpenBLAS, the variable-store shim, layers.
        // (CConvolution: the direct convolution kernel, and the small-GEMM kernel of dense layers
        // against weights packed once, a 1x1 convolution's loop; AVX2 + FMA when the CPU has them.)
        .target(name: "CConvolution"),
        .target(name: "ModelSpecRuntime", dependencies: ["COpenBLAS", "CConvolution", "TFNaming"]),

        // Runs a checked model description through the runtime's API (the CLI's `run`).
        .target(name: "ModelSpecInterpreter", dependencies: ["ModelSpecCompiler", "ModelSpecRuntime", "TFNaming"]),

        // TensorFlow checkpoints (TensorBundle); CRC-32C with the CPU's instruction when it has one.
        .target(name: "CCRC32C"),
        .target(
            name: "TensorBundle",
            dependencies: ["CCRC32C", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Protos"]
        ),

        // Loading TensorFlow checkpoints into models by variable name.
        .target(name: "ModelSpecCheckpoints", dependencies: ["ModelSpecRuntime", "TensorBundle"]),

        // The command-line tool.
        .executableTarget(
            name: "modelspec",
            dependencies: [
                "ModelSpecCompiler",
                "ModelSpecGenerator",
                "ModelSpecRuntime",
                "ModelSpecInterpreter",
                "ModelSpecCheckpoints",
                "TensorBundle",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The digits demo: specs/DigitsCNN.yaml (linked into the target) compiled by the plugin, a TF checkpoint loaded by name.
        .executableTarget(
            name: "DigitsDemo",
            dependencies: ["ModelSpecRuntime", "ModelSpecCheckpoints", "TensorBundle"],
            plugins: ["ModelSpecPlugin"]
        ),

        // Tests.
        .testTarget(name: "LocatedYAMLTests", dependencies: ["LocatedYAML"]),
        .testTarget(name: "TFNamingTests", dependencies: ["TFNaming"]),
        .testTarget(
            name: "ModelSpecCompilerTests",
            dependencies: ["ModelSpecCompiler"],
            // Specs read from the source tree by the tests (#filePath), not resources.
            exclude: ["NamingCases"]
        ),
        .testTarget(
            name: "ModelSpecRuntimeTests",
            dependencies: ["ModelSpecRuntime"]
        ),
        .testTarget(
            name: "ModelSpecInterpreterTests",
            dependencies: ["ModelSpecInterpreter", "ModelSpecCompiler", "ModelSpecRuntime", "SeedGoldens"]
        ),
        // Reads TensorFlow's golden files of the seed models, for the tests.
        .target(name: "SeedGoldens", dependencies: ["ModelSpecCompiler", "ModelSpecRuntime"], path: "Tests/SeedGoldens"),
        .testTarget(name: "ModelSpecGeneratorTests", dependencies: ["ModelSpecGenerator", "ModelSpecCompiler"]),
        .testTarget(
            // The generated reference files (Generated/, compared by ModelSpecGeneratorTests) compiled and run.
            name: "GeneratedModelsTests",
            dependencies: ["ModelSpecRuntime", "ModelSpecCheckpoints", "TensorBundle", "SeedGoldens",
                           "ModelSpecCompiler", "ModelSpecInterpreter"]
        ),
        .testTarget(
            name: "TensorBundleTests",
            dependencies: ["TensorBundle"]
        ),
        .testTarget(
            name: "ModelSpecCheckpointsTests",
            dependencies: ["ModelSpecCheckpoints", "ModelSpecInterpreter", "ModelSpecCompiler", "ModelSpecRuntime", "TensorBundle"],
            // Specs read from the source tree by the tests (#filePath), not resources.
            exclude: ["Specs"]
        ),
        .testTarget(
            // Mutated, crafted and hostile specs, checkpoints and .npy files through the `modelspec` CLI and the
            // checkpoint reader, each in a child process with a time limit (docs/testing.md).
            name: "FuzzTests",
            dependencies: ["TensorBundle", "ModelSpecRuntime", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
