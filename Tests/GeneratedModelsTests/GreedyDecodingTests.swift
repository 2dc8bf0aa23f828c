import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The greedy decoding loop of docs/spec-language.md (seed 004's decoder, specs/Decoder.yaml),
/// as written there, against TensorFlow running the seed's Python decoder the same way
/// (Tests/Goldens/recurrent/decoder, oracle/recurrent.py): the tokens of every step and the last state.
@Suite struct GreedyDecodingTests {
    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/recurrent/decoder")

    struct Case: Decodable {
        struct Variable: Decodable { let file: String; let object_path: String }
        let variables: [Variable]
    }

    @Test func greedyDecodingMatchesTensorFlow() throws {
        func tensor(_ file: String) throws -> Tensor { try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file)) }
        let golden = try JSONDecoder().decode(Case.self, from: Data(contentsOf: Self.directory.appendingPathComponent("case.json")))
        var weights: [String: Tensor] = [:]
        for variable in golden.variables { weights[variable.object_path] = try tensor(variable.file) }
        let startTokens = try NumPy.readIndexTensor(contentsOf: Self.directory.appendingPathComponent("in_x.npy"))
        let encoderState = try tensor("in_hidden.npy"), encoderOutputs = try tensor("in_enc_output.npy")

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

        let expected = try tensor("out_greedy_tokens.npy")   // [batch, steps]
        let batch = expected.shape[0], steps = expected.shape[1]
        for b in 0..<batch {
            #expect((0..<steps).map { Int32(expected[b, $0]) } == tokens.map { $0[b] }, "sentence \(b)")
        }
        expectClose(hidden, try tensor("out_greedy_state.npy"), "the state after \(steps) steps")
    }
}
