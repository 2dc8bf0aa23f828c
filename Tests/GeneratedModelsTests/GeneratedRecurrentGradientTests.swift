import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The generated type of specs/Decoder.yaml (Embedding, BahdanauAttention, GRU, Dense) is
/// differentiable end to end: the gradient of the sparse softmax cross-entropy of its logits
/// with respect to the state, the encoder's outputs and every variable (given as watched
/// substitutes), against tf.GradientTape's (Tests/Goldens/rnn_gradients, case decoder_loss).
@Suite struct GeneratedRecurrentGradientTests {
    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/rnn_gradients")

    struct Index: Decodable {
        struct Case: Decodable {
            struct Input: Decodable { let name: String; let file: String; let gradient: String? }
            struct Variable: Decodable { let object_path: String?; let file: String; let gradient: String }
            struct Loss: Decodable { let labels: String; let value: Float }
            let name: String
            let inputs: [Input]
            let variables: [Variable]
            let loss: Loss?
        }
        let cases: [Case]
    }

    @Test func decoderLossGradientMatchesTensorFlow() throws {
        func url(_ file: String) -> URL { Self.directory.appendingPathComponent(file) }
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: url("cases.json")))
        let golden = try #require(index.cases.first { $0.name == "decoder_loss" })
        let loss = try #require(golden.loss)
        func input(_ name: String) throws -> Index.Case.Input { try #require(golden.inputs.first { $0.name == name }) }
        let tokens = try NumPy.readIndexTensor(contentsOf: url(try input("x").file))
        let hidden = try NumPy.readTensor(contentsOf: url(try input("hidden").file))
        let encoderOutputs = try NumPy.readTensor(contentsOf: url(try input("enc_output").file))
        let labels = try NumPy.readIndexTensor(contentsOf: url(loss.labels))
        var weights: [String: Tensor] = [:]
        for variable in golden.variables {
            weights[try #require(variable.object_path)] = try NumPy.readTensor(contentsOf: url(variable.file))
        }

        let decoder = Decoder()
        let tape = GradientTape()
        tape.watch(hidden)
        tape.watch(encoderOutputs)
        weights.values.forEach(tape.watch)
        let value = try tape.record {
            let (logits, _, _) = try decoder(x: tokens, hidden: hidden, encOutput: encoderOutputs, substituting: weights)
            return try Losses.sparseSoftmaxCrossEntropy(labels: labels, logits: logits)
        }
        #expect(Swift.abs(value.scalars[0] - loss.value) < 1e-5 * Swift.max(1, Swift.abs(loss.value)))
        for (name, tensor) in [("hidden", hidden), ("enc_output", encoderOutputs)] {
            let got = try #require(try tape.gradient(of: value, withRespectTo: tensor), "no gradient for \(name)")
            let expected = try NumPy.readTensor(contentsOf: url(try #require(try input(name).gradient)))
            #expect(mismatch(got, expected, tolerance: 1e-4) == nil, "d/d\(name): \(mismatch(got, expected, tolerance: 1e-4) ?? "")")
        }
        for variable in golden.variables {
            let path = try #require(variable.object_path)
            let got = try #require(try tape.gradient(of: value, withRespectTo: weights[path]!), "no gradient for \(path)")
            let expected = try NumPy.readTensor(contentsOf: url(variable.gradient))
            #expect(mismatch(got, expected, tolerance: 1e-4) == nil,
                    "d/d\(path): \(mismatch(got, expected, tolerance: 1e-4) ?? "")")
        }
    }

    /// The generated type of specs/BenchLSTM.yaml (TF1 `dynamic_rnn` of a `MultiRNNCell`): the
    /// variables it reads under a tape get the gradients the runtime's loop gives the same values.
    @Test func generatedTF1LoopVariablesGetTheLoopsGradients() throws {
        let model = BenchLSTM()
        let values: [Float] = (0..<12_800).map { (i: Int) -> Float in Float((i * 7919) % 211) / 211 - 0.5 }
        let x = try Tensor(shape: [1, 50, 256], scalars: values)
        _ = try model(x)
        let variables = model.createdVariables
        let tape = GradientTape()
        let loss = try tape.record {
            let r = try model(x)
            return try add(reduceSum(r.outputs), reduceSum(multiply(r.c1, r.h0)))
        }
        let byVariable = try tape.gradient(of: loss, withRespectTo: variables)

        let tensors = try variables.map { try Tensor(shape: $0.shape, scalars: $0.value.scalars) }
        let direct = GradientTape()
        tensors.forEach(direct.watch)
        let loss2 = try direct.record {
            let r = try dynamicRNN([.lstm(kernel: tensors[0], bias: tensors[1]), .lstm(kernel: tensors[2], bias: tensors[3])], input: x)
            return try add(reduceSum(r.outputs), reduceSum(multiply(r.state[2], r.state[1])))
        }
        let byTensor = try direct.gradient(of: loss2, withRespectTo: tensors)
        for (k, variable) in variables.enumerated() {
            let got = try #require(byVariable[k], "\(variable.name) has no gradient")
            #expect(got.scalars == byTensor[k]?.scalars, "\(variable.name)")
            #expect(got.scalars.contains { $0 != 0 }, "\(variable.name)")
        }
    }
}
