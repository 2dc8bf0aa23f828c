import ModelSpecRuntime
import Testing

/// The generated type of specs/MaskedEncoder.yaml: the Embedding's mask handed on through
/// Dense, GRU, LayerNormalization and Dropout to the LSTM, against TensorFlow's chain of the
/// same layers (Tests/Goldens/recurrent/keras_mask_chain, oracle/recurrent.py).
@Suite struct MaskedEncoderTests {
    @Test func theMaskReachesTheLastLayerAsInTensorFlow() throws {
        let golden = RecurrentGoldenFiles("keras_mask_chain")
        let weights = try golden.weights()
        let ids = try golden.ids("in_x.npy")
        let (outputs, h, c) = try MaskedEncoder()(ids, substituting: weights)
        expectClose(outputs, try golden.tensor("out_outputs.npy"), "outputs")
        expectClose(h, try golden.tensor("out_state_0.npy"), "h")
        expectClose(c, try golden.tensor("out_state_1.npy"), "c")
    }
}
