import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import Testing

@testable import TensorBundle

/// Strict and lenient loading, every problem in one error, damaged tensors.
/// The model: WrappedDoubleDenseLayer (double_dense_layer/dense_one/{kernel [20, 10], bias [10]},
/// double_dense_layer/dense_two/{kernel [10, 10], bias [10]}), inputs [8, 20].
@Suite("Loading checkpoints by name")
struct LoadingTests {
    static let spec = Repo.specs + "/WrappedDoubleDenseLayer.yaml"
    static let names = ["double_dense_layer/dense_one/kernel", "double_dense_layer/dense_one/bias",
                        "double_dense_layer/dense_two/kernel", "double_dense_layer/dense_two/bias"]
    static let shapes = [[20, 10], [10], [10, 10], [10]]

    func prepared() throws -> PreparedSpec {
        try PreparedSpec(Self.spec, inputs: ["inputs": try Tensor.zeros([8, 20])])
    }

    /// A checkpoint with the model's four variables (bias values 7), edited by `edit`.
    func writeCheckpoint(_ edit: (inout CheckpointWriter, inout Set<String>) throws -> Void = { _, _ in }) throws -> String {
        var writer = CheckpointWriter()
        var skip = Set<String>()
        try edit(&writer, &skip)
        for (name, shape) in zip(Self.names, Self.shapes) where !skip.contains(name) {
            try writer.add(name: name, shape: shape, floats: [Float](repeating: 7, count: shape.reduce(1, *)))
        }
        let prefix = try temporaryFolder("load") + "/model.ckpt"
        try writer.write(prefix: prefix)
        return prefix
    }

    func loadError(_ prefix: String, _ options: LoadOptions = .strict) throws -> (CheckpointLoadError, PreparedSpec) {
        let spec = try prepared()
        let error = try #require(throws: CheckpointLoadError.self) {
            try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected, options: options)
        }
        return (error, spec)
    }

    @Test func exactCheckpointLoadsBeforeTheFirstCall() throws {
        let spec = try prepared()
        #expect(spec.model.createdVariables.isEmpty)
        let match = try spec.model.load(Checkpoint(path: try writeCheckpoint()), expecting: spec.expected)
        #expect(match.isExact)
        _ = try spec.model(["inputs": try Tensor.zeros([8, 20])])
        #expect(spec.model.createdVariables.map(\.name) == Self.names)
        #expect(spec.model.createdVariables.allSatisfy { $0.value.scalars.allSatisfy { $0 == 7 } })
    }

    @Test func missingVariable() throws {
        let prefix = try writeCheckpoint { _, skip in skip.insert("double_dense_layer/dense_two/kernel") }
        let (error, _) = try loadError(prefix)
        #expect(error.problems.count == 1)
        #expect(error.description.contains("- double_dense_layer/dense_two/kernel  float32 [10, 10]  (made by the model, not in the checkpoint)"))
        #expect(error.description.contains("1 problem loading 4 variables"))
    }

    /// An entry that is not the model's nor training state is an error; global_step beside it is skipped.
    @Test func extraEntry() throws {
        let prefix = try writeCheckpoint { writer, _ in
            try writer.add(name: "global_step", shape: [], int64s: [42])
            try writer.add(name: "head/w", shape: [3], floats: [1, 2, 3])
        }
        let (error, _) = try loadError(prefix)
        #expect(error.problems == [.unused(try Checkpoint(path: prefix).requireEntry(named: "head/w"))])
        #expect(error.description.contains("+ head/w  float32 [3]  (in the checkpoint, not made by the model)"))
    }

    @Test func shapeMismatch() throws {
        let prefix = try writeCheckpoint { writer, skip in
            skip.insert("double_dense_layer/dense_one/kernel")
            try writer.add(name: "double_dense_layer/dense_one/kernel", shape: [20, 5], floats: .init(repeating: 1, count: 100))
        }
        let (error, _) = try loadError(prefix)
        #expect(error.problems.count == 1)
        #expect(error.description.contains("! double_dense_layer/dense_one/kernel  model float32 [20, 10], checkpoint float32 [20, 5]"))
    }

    @Test func dtypeMismatch() throws {
        let prefix = try writeCheckpoint { writer, skip in
            skip.insert("double_dense_layer/dense_one/bias")
            try writer.add(name: "double_dense_layer/dense_one/bias", shape: [10], doubles: .init(repeating: 1, count: 10))
        }
        let (error, _) = try loadError(prefix)
        #expect(error.problems.count == 1)
        #expect(error.description.contains("! double_dense_layer/dense_one/bias  model float32 [10], checkpoint float64 [10]"))
    }

    /// Missing, extra, shape and dtype problems together: one error lists all four, nothing is loaded.
    @Test func everyProblemAtOnceAndNothingLoaded() throws {
        let prefix = try writeCheckpoint { writer, skip in
            skip.formUnion(["double_dense_layer/dense_one/kernel", "double_dense_layer/dense_one/bias",
                            "double_dense_layer/dense_two/kernel"])
            try writer.add(name: "double_dense_layer/dense_one/kernel", shape: [20, 5], floats: .init(repeating: 1, count: 100))
            try writer.add(name: "double_dense_layer/dense_one/bias", shape: [10], doubles: .init(repeating: 1, count: 10))
            try writer.add(name: "extra/w", shape: [3], floats: [1, 2, 3])
        }
        let (error, spec) = try loadError(prefix)
        let lines = error.description.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(prefix): 4 problems loading 4 variables:",
            "- double_dense_layer/dense_two/kernel  float32 [10, 10]  (made by the model, not in the checkpoint)",
            "+ extra/w  float32 [3]  (in the checkpoint, not made by the model)",
            "! double_dense_layer/dense_one/kernel  model float32 [20, 10], checkpoint float32 [20, 5]",
            "! double_dense_layer/dense_one/bias  model float32 [10], checkpoint float64 [10]",
        ])
        // Nothing loaded: dense_two/bias (present and right) keeps its initializer's zeros.
        _ = try spec.model(["inputs": try Tensor.zeros([8, 20])])
        let bias = try #require(spec.model.createdVariables.first { $0.name == "double_dense_layer/dense_two/bias" })
        #expect(bias.value.scalars.allSatisfy { $0 == 0 })
    }

    @Test func lenientOptions() throws {
        let extra = try writeCheckpoint { writer, _ in
            try writer.add(name: "global_step", shape: [], int64s: [42])
            try writer.add(name: "double_dense_layer/dense_one/kernel/Adam", shape: [20, 10], floats: .init(repeating: 0, count: 200))
            try writer.add(name: "head/w", shape: [3], floats: [1, 2, 3])
        }
        // The Adam slot and global_step are training state; head/w is not.
        let (error, _) = try loadError(extra)
        #expect(error.problems.count == 1)
        #expect(error.description.contains("+ head/w"))
        var allowUnused = LoadOptions.strict
        allowUnused.allowUnusedEntries = true
        let spec = try prepared()
        let match = try spec.model.load(Checkpoint(path: extra), expecting: spec.expected, options: allowUnused)
        #expect(match.unused.map(\.name) == ["head/w"])
        #expect(match.skipped.map(\.entry.name) == ["double_dense_layer/dense_one/kernel/Adam", "global_step"])
        #expect(match.report.map(\.description) == [
            "note: skipped 1 optimizer slot (Adam), global_step",
            "warning: 1 checkpoint entry not loaded (in the checkpoint, not made by the model): head/w",
        ])

        let missing = try writeCheckpoint { _, skip in skip.insert("double_dense_layer/dense_two/bias") }
        var allowMissing = LoadOptions.strict
        allowMissing.allowMissingVariables = true
        let other = try prepared()
        let loaded = try other.model.load(Checkpoint(path: missing), expecting: other.expected, options: allowMissing)
        #expect(loaded.missing.map(\.name) == ["double_dense_layer/dense_two/bias"])
        #expect(loaded.report.map(\.description) == ["warning: 1 variable keeps its initial values (not in the checkpoint): double_dense_layer/dense_two/bias"])
        _ = try other.model(["inputs": try Tensor.zeros([8, 20])])
        let values = Dictionary(uniqueKeysWithValues: other.model.createdVariables.map { ($0.name, $0.value.scalars) })
        #expect(values["double_dense_layer/dense_two/bias"]!.allSatisfy { $0 == 0 })
        #expect(values["double_dense_layer/dense_two/kernel"]!.allSatisfy { $0 == 7 })

        // Lenient never lets a mismatch through.
        let mismatched = try writeCheckpoint { writer, skip in
            skip.insert("double_dense_layer/dense_one/bias")
            try writer.add(name: "double_dense_layer/dense_one/bias", shape: [11], floats: .init(repeating: 1, count: 11))
        }
        let (refused, _) = try loadError(mismatched, .lenient)
        #expect(refused.description.contains("model float32 [10], checkpoint float32 [11]"))
    }

    @Test func prefixMapping() throws {
        var writer = CheckpointWriter()
        for (name, shape) in zip(Self.names, Self.shapes) {
            try writer.add(name: "tower_0/" + name.dropFirst("double_dense_layer/".count), shape: shape,
                           floats: .init(repeating: 3, count: shape.reduce(1, *)))
        }
        let prefix = try temporaryFolder("map") + "/model.ckpt"
        try writer.write(prefix: prefix)
        let spec = try prepared()
        let (error, _) = try loadError(prefix)
        #expect(error.description.contains("- double_dense_layer/dense_one/kernel  float32 [20, 10]  (made by the model, not in the checkpoint)"))
        let mapping = NameMapping(stripPrefix: "double_dense_layer/", addPrefix: "tower_0/")
        let match = try spec.model.load(Checkpoint(path: prefix), expecting: spec.expected, options: LoadOptions(mapping: mapping))
        #expect(match.matched.map(\.key) == ["tower_0/dense_one/kernel", "tower_0/dense_one/bias", "tower_0/dense_two/kernel", "tower_0/dense_two/bias"])
    }

    @Test func shimStoreKeysOfObjectBasedCheckpoints() {
        let mapping = NameMapping(objectRoot: "model/")
        #expect(mapping.variableKey(for: "model/_tf1_style_var_store/_vars/model.Sdense.Skernel/.ATTRIBUTES/VARIABLE_VALUE") == "model/dense/kernel")
        #expect(mapping.variableKey(for: "model/_inner/_tf1_style_var_store/_vars/a..b.Sc/.ATTRIBUTES/VARIABLE_VALUE") == "a.b/c")
        #expect(mapping.variableKey(for: "model/conv_layer/kernel/.ATTRIBUTES/VARIABLE_VALUE") == "conv_layer/kernel")
        #expect(mapping.variableKey(for: "save_counter/.ATTRIBUTES/VARIABLE_VALUE") == nil)
        #expect(mapping.variableKey(for: "other/x/.ATTRIBUTES/VARIABLE_VALUE") == nil)
    }
}

/// The digits CNN trained by TensorFlow (Tests/Goldens/digits): its Saver checkpoint
/// loaded by name reproduces TensorFlow's logits and accuracy.
@Suite("Digits CNN from its TensorFlow checkpoint")
struct DigitsTests {
    static let spec = Repo.specs + "/DigitsCNN.yaml"
    static let checkpoint = Repo.digits + "/checkpoint"

    static func summary() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Repo.digits + "/summary.json"))) as! [String: Any]
    }

    /// How many test images the logits' argmax classifies as their label.
    static func correct(_ logits: Tensor) throws -> Int {
        let labels = try NumPy.readIndexTensor(contentsOf: URL(fileURLWithPath: Repo.digits + "/test_labels.npy")).scalars
        let classes = logits.shape[1]
        let values = logits.scalars
        var correct = 0
        for (row, label) in labels.enumerated() {
            let scores = values[(row * classes)..<((row + 1) * classes)]
            let best = scores.indices.max { scores[$0] < scores[$1] }! - row * classes
            if best == Int(label) { correct += 1 }
        }
        return correct
    }

    /// The argmax gives TensorFlow's accuracy: the same number of correct test images.
    static func expectTensorFlowAccuracy(_ logits: Tensor, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let summary = try summary()
        let correct = try correct(logits)
        #expect(correct == summary["test_correct"] as! Int, sourceLocation: sourceLocation)
        let accuracy = Double(correct) / Double(summary["test_size"] as! Int)
        #expect(Swift.abs(accuracy - (summary["test_accuracy"] as! Double)) < 1e-12, sourceLocation: sourceLocation)
    }

    @Test func logitsAndAccuracyThroughTheLibrary() throws {
        let images = try tensor(Repo.digits + "/test_images.npy")
        let spec = try PreparedSpec(Self.spec, inputs: ["images": images])
        try spec.model.load(Checkpoint(path: Self.checkpoint), expecting: spec.expected)
        let logits = try spec.model(["images": images])[0]
        expectClose(logits, try tensor(Repo.digits + "/test_logits.npy"), "digits logits", tolerance: 1e-4)
        try Self.expectTensorFlowAccuracy(logits)
    }

    /// global_step, the only entry beside the model's, is training state: a strict load skips it and says so.
    @Test func strictLoadSkipsGlobalStep() throws {
        let images = try tensor(Repo.digits + "/test_images.npy")
        let spec = try PreparedSpec(Self.spec, inputs: ["images": images])
        let match = try spec.model.load(Checkpoint(path: Self.checkpoint), expecting: spec.expected)
        #expect(match.isExact)
        #expect(match.matched.count == 11)
        #expect(match.skipped.map(\.reason) == [.globalStep])
        #expect(match.report.map(\.description) == ["note: skipped global_step"])
    }

    /// Any `Layer` with its variables made (here after one call) loads by its weights' names.
    @Test func builtLayerLoadsByItsWeights() throws {
        let images = try tensor(Repo.digits + "/test_images.npy")
        let spec = try PreparedSpec(Self.spec, inputs: ["images": images])
        _ = try spec.model(["images": images])
        let layer: any Layer = spec.model
        try layer.load(Checkpoint(path: Self.checkpoint))
        expectClose(try spec.model(["images": images])[0], try tensor(Repo.digits + "/test_logits.npy"), "digits", tolerance: 1e-4)
    }

    /// A damaged tensor (one byte flipped in the data shard) is refused, named, and nothing is loaded.
    @Test func damagedTensorIsRefused() throws {
        let copy = try copyFolder(Self.checkpoint, label: "damaged")
        let opened = try Checkpoint(path: copy)
        let entry = try opened.requireEntry(named: "model/dense/kernel")
        let data = copy + "/model.ckpt-1350.data-00000-of-00001"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: data)))
        bytes[entry.location.offset + 1000] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: data))

        let images = try tensor(Repo.digits + "/test_images.npy")
        let spec = try PreparedSpec(Self.spec, inputs: ["images": images])
        let error = try #require(throws: CheckpointLoadError.self) {
            try spec.model.load(Checkpoint(path: copy), expecting: spec.expected)
        }
        #expect(error.problems.count == 1)
        guard case let .unreadable(variable, key, cause) = error.problems.first else {
            Issue.record("not an unreadable tensor: \(error)")
            return
        }
        #expect(variable.name == "model/dense/kernel" && key == "model/dense/kernel")
        #expect(cause.kind == .corruptData)
        #expect(error.description.contains("model/dense/kernel"))
        #expect(error.description.contains("checksum mismatch"))
        // Nothing loaded: the dense kernel is its initializer's, not the checkpoint's.
        _ = try spec.model(["images": images])
        let kernel = try #require(spec.model.createdVariables.first { $0.name == "model/logits/kernel" })
        #expect(kernel.value.scalars != (try Checkpoint(path: Self.checkpoint).floats(named: "model/logits/kernel")))

        if CLI.available {
            let output = copy + "/logits.npy"
            let result = try CLI.run(["run", Self.spec, "--checkpoint", copy, "--input", "images=\(Repo.digits)/test_images.npy",
                                      "--output", output])
            #expect(result.status == 2)
            #expect(result.err.contains("model/dense/kernel") && result.err.contains("checksum mismatch"))
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }
}

/// `modelspec run` end to end.
@Suite("modelspec run", .enabled(if: CLI.available))
struct RunCommandTests {
    @Test func digitsLogitsAndAccuracy() throws {
        let folder = try temporaryFolder("digits")
        let output = folder + "/logits.npy"
        let result = try CLI.run(["run", DigitsTests.spec, "--checkpoint", DigitsTests.checkpoint,
                                  "--input", "images=\(Repo.digits)/test_images.npy", "--output", output])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "\(output)  [360, 10]\n")
        let logits = try tensor(output)
        expectClose(logits, try tensor(Repo.digits + "/test_logits.npy"), "digits logits", tolerance: 1e-4)
        try DigitsTests.expectTensorFlowAccuracy(logits)
    }

    @Test func mismatchExitsOneWithTheReport() throws {
        let folder = try temporaryFolder("digits")
        let result = try CLI.run(["run", DigitsTests.spec, "--checkpoint", DigitsTests.checkpoint,
                                  "--input", "\(Repo.digits)/test_images.npy", "--output", folder + "/x.npy",
                                  "--strip-prefix", "model/"])
        #expect(result.status == 1)
        #expect(result.err.contains("- model/conv2d/kernel  float32 [3, 3, 1, 16]  (made by the model, not in the checkpoint, looked up as 'conv2d/kernel')"))
        #expect(result.err.contains("+ model/conv2d/kernel  float32 [3, 3, 1, 16]  (in the checkpoint, not made by the model)"))
        #expect(!result.err.contains("global_step"))
        #expect(result.err.contains("22 problems loading 11 variables"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.npy"))
    }

    @Test func severalOutputsToOneFileGetIndexSuffixes() throws {
        let seed = try SeedCheckpoint("BahdanauAttention")
        let folder = try temporaryFolder("bahdanau")
        let result = try CLI.run(["run", Repo.specs + "/BahdanauAttention.yaml", "--checkpoint", seed.prefix,
                                  "--input", "query=\(seed.inputFiles[0])", "--input", "values=\(seed.inputFiles[1])",
                                  "--output", folder + "/out.npy"])
        #expect(result.status == 0, "\(result.err)")
        for (index, golden) in seed.outputFiles.enumerated() {
            expectClose(try tensor(folder + "/out_\(index).npy"), try tensor(golden), "output \(index)")
        }
    }

    @Test func badUsageAndBadFilesExitTwo() throws {
        let folder = try temporaryFolder("bad")
        let images = "images=\(Repo.digits)/test_images.npy"
        let cases: [([String], String)] = [
            (["--checkpoint", DigitsTests.checkpoint, "--input", images], "--output"),
            (["--checkpoint", DigitsTests.checkpoint, "--output", folder + "/x.npy"], "missing --input for images"),
            (["--checkpoint", DigitsTests.checkpoint, "--input", "pixels=\(Repo.digits)/test_images.npy", "--output", folder + "/x.npy"], "no input 'pixels'"),
            (["--checkpoint", folder + "/nothing", "--input", images, "--output", folder + "/x.npy"], "nothing.index"),
            (["--checkpoint", DigitsTests.checkpoint, "--input", "images=\(folder)/none.npy", "--output", folder + "/x.npy"], "none.npy"),
            (["--checkpoint", DigitsTests.checkpoint, "--input", "images=\(Repo.digits)/test_logits.npy", "--output", folder + "/x.npy"], "error:"),
            (["--checkpoint", DigitsTests.checkpoint, "--input", images, "--output", folder + "/a.npy", "--output", folder + "/b.npy"], "1 outputs"),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(["run", DigitsTests.spec] + arguments)
            #expect(result.status == 2, "\(arguments): \(result.err)")
            #expect(result.err.contains(message), "\(arguments): \(result.err)")
        }
    }
}
