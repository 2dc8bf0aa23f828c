import ModelSpecRuntime
import Testing

/// The greedy decoding loop of docs/spec-language.md (seed 004's decoder, specs/Decoder.yaml),
/// as written there, against TensorFlow running the seed's Python decoder the same way
/// (Tests/Goldens/recurrent/decoder, oracle/recurrent.py): the tokens of every step and the last state.
@Suite struct GreedyDecodingTests {
    @Test func greedyDecodingMatchesTensorFlow() throws {
        let golden = RecurrentGoldenFiles("decoder")
        let weights = try golden.weights()
        let startTokens = try golden.ids("in_x.npy")
        let encoderState = try golden.tensor("in_hidden.npy"), encoderOutputs = try golden.tensor("in_enc_output.npy")

        // docs/spec-language.md, "Decoder — greedy decoding": the loop as the docs write it.
        let decoder = Decoder()
        var token = startTokens                      // [batch, 1]: the start token of each sentence
        var hidden = encoderState                    // [batch, 16]: the encoder's final state
        var tokens: [[Int32]] = []
        for _ in 0..<4 {
            let (logits, state, _) = try decoder(x: token, hidden: hidden, encOutput: encoderOutputs, substituting: weights)
            let next = try argmax(logits, axis: 1)   // [batch]: the most likely next token
            token = try IndexTensor(shape: [next.scalarCount, 1], scalars: next.scalars)
            hidden = state
            tokens.append(next.scalars)
        }

        let expected = try golden.tensor("out_greedy_tokens.npy")   // [batch, steps]
        let batch = expected.shape[0], steps = expected.shape[1]
        for b in 0..<batch {
            #expect((0..<steps).map { Int32(expected[b, $0]) } == tokens.map { $0[b] }, "sentence \(b)")
        }
        expectClose(hidden, try golden.tensor("out_greedy_state.npy"), "the state after \(steps) steps")
    }
}
