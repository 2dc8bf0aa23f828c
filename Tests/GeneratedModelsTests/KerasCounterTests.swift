import Foundation
import ModelSpecCheckpoints
import ModelSpecRuntime
import SeedGoldens
import TensorBundle
import Testing

/// The generated type of specs/KerasCounter.yaml: unnamed `get_or_create_layer`
/// layers in the scopes of a `repeat`, between unnamed compat layers, after a
/// native layer of the same class, named by Keras's counter as TensorFlow names
/// them (oracle/keras_counter.py, `Tests/Goldens/keras_counter/KerasCounter/`).
@Suite struct GeneratedKerasCounterTests {
    static let folder = Repo.root.appendingPathComponent("Tests/Goldens/keras_counter/KerasCounter")

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: Self.folder.appendingPathComponent(file))
    }

    /// Each layer has its own running name, and TensorFlow's checkpoints of both schemes
    /// load strictly, with no renames, and give TensorFlow's outputs on two calls.
    @Test func everyLayerLoadsItsOwnWeights() throws {
        let names = KerasCounter.manifest.map(\.name)
        #expect(Set(names).count == names.count, "\(names)")
        #expect(names.filter { $0.hasSuffix("kernel") } == [
            "keras_counter/block_0/dense_1/kernel", "block_0/dense/kernel", "keras_counter/block_0/dense_3/kernel",
            "keras_counter/block_1/dense_4/kernel", "block_1/dense/kernel", "keras_counter/block_1/dense_6/kernel", "proj/kernel",
        ])
        let inputs = try tensor("inputs.npy")
        let expected = try tensor("outputs.npy")
        for (path, options) in [("name_based/model.ckpt", LoadOptions()),
                                ("object_based/ckpt", LoadOptions(mapping: NameMapping(objectRoot: "model/")))] {
            let model = KerasCounter()
            let match = try model.load(Checkpoint(path: Self.folder.appendingPathComponent(path).path), options: options)
            #expect(match.isExact, "\(path): \(match.missing.map(\.name)) \(match.unused.map(\.name))")
            expectClose(try model(inputs), expected, "KerasCounter \(path), first call")
            expectClose(try model(inputs), expected, "KerasCounter \(path), second call")
            #expect(model.weights.count == KerasCounter.manifest.count)
        }
    }
}
