import Foundation
import ModelSpecCheckpoints
import ModelSpecRuntime
import SeedGoldens
import TensorBundle
import Testing

/// Generated models loading each seed's TensorFlow checkpoint right after
/// `init`, strictly by name against their static manifest, and then computing
/// TensorFlow's outputs.
@Suite("Generated models load TensorFlow checkpoints")
struct GeneratedCheckpointTests {
    static let checkpoints = Repo.root.appendingPathComponent("Tests/Goldens/seeds_checkpoints")

    /// Seeds with a name-based checkpoint (ComputeSum's running total is state, not a weight to load).
    static var seeds: [String] {
        Repo.seedModels.filter {
            $0 != "ComputeSum" && FileManager.default.fileExists(atPath: checkpoints.appendingPathComponent("\($0)/checkpoint").path)
        }
    }

    @Test("strict loading before the first call gives TensorFlow's outputs", arguments: seeds)
    func loadThenCall(_ name: String) throws {
        let golden = try SeedGolden(name)
        let model = try GeneratedSeed.make(name)
        let generated = try #require(model.layer as? any GeneratedModel)
        let checkpoint = try Checkpoint(path: Self.checkpoints.appendingPathComponent("\(name)/checkpoint").path)
        let match = try generated.load(checkpoint)
        #expect(match.isExact)
        let outputs = try model.call(try golden.inputs(), false)
        for (output, file) in zip(outputs, golden.outputFiles) {
            expectClose(output, try golden.tensor(file), "\(name) \(file)")
        }
    }

    /// NestedModel's TF2 object-based checkpoint: the weights of its
    /// `get_or_create_layer` model load by the object path TensorFlow gives them
    /// (`_tf1_style_var_store/_layers/.Sdense_model/layer_with_weights-0/kernel`).
    @Test func getOrCreateLayerWeightsLoadByObjectPath() throws {
        let golden = try SeedGolden("NestedModel")
        let model = NestedModel()
        #expect(NestedModel.manifest.map(\.objectPath) == [
            ["_tf1_style_var_store", "_layers", "/dense_model", "layer_with_weights-0", "kernel"],
            ["_tf1_style_var_store", "_layers", "/dense_model", "layer_with_weights-0", "bias"],
        ])
        let checkpoint = try Checkpoint(path: Self.checkpoints.appendingPathComponent("NestedModel/object_checkpoint/ckpt").path)
        let match = try model.load(checkpoint, options: LoadOptions(mapping: NameMapping(objectRoot: "model/")))
        #expect(match.isExact)
        let outputs = try model(try golden.inputs()[0])
        expectClose(outputs, try golden.tensor(golden.outputFiles[0]), "NestedModel (object-based)")
    }

    @Test func mismatchedCheckpointIsRefusedWithEveryProblem() throws {
        // DenseLayer's checkpoint for a model with another number of units: both variables mismatch.
        let model = DenseLayer(units: 4)
        let checkpoint = try Checkpoint(path: Self.checkpoints.appendingPathComponent("DenseLayer/checkpoint").path)
        #expect(throws: CheckpointLoadError.self) {
            try model.load(checkpoint, expecting: [ExpectedVariable(name: "dense/kernel", shape: [20, 4], dtype: "float32"),
                                                   ExpectedVariable(name: "dense/bias", shape: [4], dtype: "float32")])
        }
        do {
            try model.load(checkpoint, expecting: [ExpectedVariable(name: "dense/kernel", shape: [20, 4], dtype: "float32"),
                                                   ExpectedVariable(name: "dense/bias", shape: [4], dtype: "float32")])
        } catch let error as CheckpointLoadError {
            #expect(error.problems.count == 2)
            #expect("\(error)".contains("dense/kernel"))
        }
    }
}
