import Foundation

/// What a fuzz run does: the seed, how many cases, where things are.
///
/// The defaults keep the whole fuzz run to about a minute in CI (2 cores).
/// Environment variables make a larger or different run:
/// - `MODELSPEC_FUZZ_ITERATIONS`: mutated cases per family (default 30);
/// - `MODELSPEC_FUZZ_SEED`: the seed (default 0x5EED), printed with every failure;
/// - `MODELSPEC_FUZZ_TIMEOUT`: seconds one case may take before it counts as a hang (default 10);
/// - `MODELSPEC_FUZZ_FINDINGS`: where failing inputs are saved (default a folder in the temporary directory).
enum FuzzSettings {
    static let environment = ProcessInfo.processInfo.environment

    static let iterations: Int = environment["MODELSPEC_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(1, $0) } ?? 30

    static let seed: UInt64 = environment["MODELSPEC_FUZZ_SEED"].flatMap { text in
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    } ?? 0x5EED

    static let timeout: Double = environment["MODELSPEC_FUZZ_TIMEOUT"].flatMap { Double($0) } ?? 10

    static let findings: String = environment["MODELSPEC_FUZZ_FINDINGS"]
        ?? NSTemporaryDirectory() + "modelspec-fuzz-findings"

    /// How the run was chosen, for the messages of failures.
    static var reproduction: String {
        "MODELSPEC_FUZZ_SEED=\(seed) MODELSPEC_FUZZ_ITERATIONS=\(iterations)"
    }
}

/// Paths of the repository and of the built executables.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let specs = root + "/specs"
    static let seeds = root + "/Tests/Goldens/seeds"
    static let seedCheckpoints = root + "/Tests/Goldens/seeds_checkpoints"
    static let checkpointFixtures = root + "/Tests/Goldens/checkpoints"

    /// The folder of the test bundle, where `swift build --build-tests` also puts `modelspec`.
    static let productsFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path

    /// The `modelspec` executable.
    static let modelspec = productsFolder + "/modelspec"

    static var modelspecBuilt: Bool { FileManager.default.isExecutableFile(atPath: modelspec) }

    /// The shipped specs (`specs/*.yaml`), sorted.
    static var shippedSpecs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: specs)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }
}
