import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import TensorBundle
import Testing

/// `MigrationMap` and rename files: the guide's chain, CompatModel's TensorFlow
/// checkpoint (TF1 names) loaded into each rewrite through the map found by
/// structure, gives CompatModel's golden outputs.
@Suite struct MigrationTests {
    static let chain = ["PartiallyMigratedModel", "NearlyFullyNativeModel", "FullyNativeModel"]

    /// CompatModel's seed inputs (`training` left out: inference, as the golden outputs).
    static func inputs(for spec: String) throws -> [String: Tensor] {
        ["inputs": try tensor(try SeedCheckpoint("CompatModel").inputFiles[0])]
    }

    static func prepared(_ model: String) throws -> PreparedSpec {
        let spec = Repo.specs + "/\(model).yaml"
        return try PreparedSpec(spec, inputs: try inputs(for: spec))
    }

    @Test("CompatModel's checkpoint loads into every later step through its migration map", arguments: chain)
    func chainStep(_ step: String) throws {
        let old = try Self.prepared("CompatModel")
        let new = try Self.prepared(step)
        let map = try MigrationMap(old: old.manifest, new: new.manifest)
        #expect(map.pairs.count == 4)
        #expect(map.pairs.allSatisfy { !$0.pinned })
        // The native kernel of the convolution takes model/conv2d/kernel.
        #expect(map.pairs[0].old.name == "model/conv2d/kernel")
        #expect(map.pairs[0].new.name.hasSuffix("kernel") && map.pairs[0].new.shape == [3, 3, 5, 3])
        let renames = Dictionary(uniqueKeysWithValues: map.pairs.map { ($0.new.name, $0.old.variableName) })
        let seed = try SeedCheckpoint("CompatModel")
        let match = try new.model.load(Checkpoint(path: seed.prefix), expecting: new.expected,
                                       options: LoadOptions(mapping: NameMapping(renames: renames)))
        #expect(match.isExact)
        let outputs = try new.model(try Self.inputs(for: Repo.specs + "/\(step).yaml"))
        for (output, file) in zip(outputs, seed.outputFiles) {
            expectClose(output, try tensor(file), "\(step) with CompatModel's weights")
        }
    }

    @Test func divergenceNamesTheFirstPoint() throws {
        let old = try Self.prepared("CompatModel")
        let other = try PreparedSpec(Repo.specs + "/DenseLayer.yaml", inputs: ["inputs": try Tensor(shape: [2, 20], scalars: Array(repeating: 0, count: 40))])
        let error = try #require(throws: MigrationMap.Divergence.self) {
            try MigrationMap(old: old.manifest, new: other.manifest)
        }
        #expect(error.message.contains("variable 1"), "\(error)")
        #expect(error.message.contains("model/conv2d/kernel"), "\(error)")
    }

    @Test func pinsTakePrecedenceAndAreChecked() throws {
        let old = try Self.prepared("CompatModel")
        let new = try Self.prepared("FullyNativeModel")
        // Pinning the two biases the other way round is refused: the shapes differ.
        #expect(throws: MigrationMap.Divergence.self) {
            try MigrationMap(old: old.manifest, new: new.manifest, pins: [(new: "dense_layer/bias", old: "model/conv2d/bias")])
        }
        #expect(throws: MigrationMap.Divergence.self) {
            try MigrationMap(old: old.manifest, new: new.manifest, pins: [(new: "dense_layer/bias", old: "model/nothing")])
        }
        let map = try MigrationMap(old: old.manifest, new: new.manifest, pins: [(new: "dense_layer/bias", old: "model/dense/bias")])
        #expect(map.pairs.map(\.pinned) == [false, false, false, true])
        #expect(map.pairs.map(\.new.name) == ["conv_layer/kernel", "conv_layer/bias", "dense_layer/kernel", "dense_layer/bias"])
    }

    @Test func renameFileRoundTripAndErrors() throws {
        let pairs = [(name: "conv_layer/kernel", key: "model/conv2d/kernel"), (name: "dense_layer/bias", key: "model/dense/bias")]
        let text = RenameFile.render(pairs, header: ["made by a test"])
        let parsed = try RenameFile.parse(text, file: "r.txt")
        #expect(parsed.map(\.name) == pairs.map(\.name))
        #expect(parsed.map(\.key) == pairs.map(\.key))
        let error = try #require(throws: RenameFile.ParseError.self) { try RenameFile.parse("a=b\n\nno equals here\n", file: "r.txt") }
        #expect(error.description == "r.txt:3: error: expected NAME=KEY, not 'no equals here'")
        let twice = try #require(throws: RenameFile.ParseError.self) { try RenameFile.parse("a=b\na=c\n", file: "r.txt") }
        #expect(twice.line == 2)
    }

    @Test func migrateCommandWritesARenameFileThatRunReads() throws {
        guard CLI.available else { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let renames = dir + "/renames.txt"
        let result = try CLI.run(["migrate", Repo.specs + "/CompatModel.yaml", Repo.specs + "/FullyNativeModel.yaml", "-o", renames])
        #expect(result.status == 0, "\(result.err)")
        let text = try String(contentsOfFile: renames, encoding: .utf8)
        #expect(text.contains("conv_layer/kernel=model/conv2d/kernel\n"))
        // Never over an existing file.
        let again = try CLI.run(["migrate", Repo.specs + "/CompatModel.yaml", Repo.specs + "/FullyNativeModel.yaml", "-o", renames])
        #expect(again.status == 2)
        #expect(try String(contentsOfFile: renames, encoding: .utf8) == text)
        let seed = try SeedCheckpoint("CompatModel")
        let diff = try CLI.run(["diff", Repo.specs + "/FullyNativeModel.yaml", seed.prefix, "--renames", renames])
        #expect(diff.status == 0, "\(diff.out)\(diff.err)")
        // Specs that do not correspond: exit 1, the first divergence named.
        let refused = try CLI.run(["migrate", Repo.specs + "/CompatModel.yaml", Repo.specs + "/DenseLayer.yaml"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("do not correspond"), "\(refused.err)")
    }
}
