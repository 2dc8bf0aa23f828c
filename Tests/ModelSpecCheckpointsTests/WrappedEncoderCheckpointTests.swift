import Foundation
import ModelSpecCheckpoints
import ModelSpecCompiler
import ModelSpecRuntime
import Testing

@testable import TensorBundle

/// A TF1 sequence model with wrapped cells that TensorFlow trained (Adam, keep probability 0.8)
/// and saved with a default `Saver` (Tests/Goldens/rnn_wrappers/trained_encoder,
/// oracle/rnn_wrappers.py), against its spec `Specs/WrappedBiEncoder.yaml`: TensorFlow's names,
/// a strict load with no options (only Adam's slots and beta powers skipped) and TensorFlow's
/// outputs with keep 1.0.
@Suite struct WrappedEncoderCheckpointTests {
    static let folder = Repo.root + "/Tests/Goldens/rnn_wrappers/trained_encoder"
    static let spec = Repo.root + "/Tests/ModelSpecCheckpointsTests/Specs/WrappedBiEncoder.yaml"

    @Test func trainedCheckpointLoadsStrictlyAndGivesTensorFlowsOutputs() throws {
        struct Case: Decodable { let variables: [String]; let outputs: [String] }
        let golden = try JSONDecoder().decode(Case.self, from: Data(contentsOf: URL(fileURLWithPath: Self.folder + "/case.json")))
        let ids = try NumPy.readIndexTensor(contentsOf: URL(fileURLWithPath: Self.folder + "/in_ids.npy"))
        let lengths = try NumPy.readIndexTensor(contentsOf: URL(fileURLWithPath: Self.folder + "/in_lengths.npy"))
        let spec = try PreparedSpec(Self.spec, inputs: ["ids": Tensor.zeros(ids.shape), "lengths": Tensor.zeros(lengths.shape)])
        #expect(spec.expected.map(\.name) == golden.variables)
        let match = try spec.model.load(Checkpoint(path: Self.folder + "/checkpoint/model"), expecting: spec.expected)
        #expect(match.isExact)
        #expect(match.matched.count == golden.variables.count)
        #expect(match.skippedSummary == "skipped 26 optimizer slots (Adam), beta1_power, beta2_power")
        let results = try spec.model([:], indices: ["ids": ids, "lengths": lengths])
        #expect(results.count == golden.outputs.count)
        for (result, name) in zip(results, golden.outputs) {
            expectClose(result, try tensor(Self.folder + "/out_\(name).npy"), name)
        }
    }
}
