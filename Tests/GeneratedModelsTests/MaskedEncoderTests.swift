import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The generated type of specs/MaskedEncoder.yaml: the Embedding's mask handed on through
/// Dense, GRU, LayerNormalization and Dropout to the LSTM, against TensorFlow's chain of the
/// same layers (Tests/Goldens/recurrent/keras_mask_chain, oracle/recurrent.py).
@Suite struct MaskedEncoderTests {
    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/recurrent/keras_mask_chain")

    struct Case: Decodable {
        struct Variable: Decodable { let file: String; let object_path: String }
        let variables: [Variable]
    }

    @Test func theMaskReachesTheLastLayerAsInTensorFlow() throws {
        func tensor(_ file: String) throws -> Tensor { try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file)) }
        let golden = try JSONDecoder().decode(Case.self, from: Data(contentsOf: Self.directory.appendingPathComponent("case.json")))
        var weights: [String: Tensor] = [:]
        for variable in golden.variables { weights[variable.object_path] = try tensor(variable.file) }
        let ids = try NumPy.readIndexTensor(contentsOf: Self.directory.appendingPathComponent("in_x.npy"))
        let (outputs, h, c) = try MaskedEncoder()(ids, substituting: weights)
        expectClose(outputs, try tensor("out_outputs.npy"), "outputs")
        expectClose(h, try tensor("out_state_0.npy"), "h")
        expectClose(c, try tensor("out_state_1.npy"), "c")
    }
}
