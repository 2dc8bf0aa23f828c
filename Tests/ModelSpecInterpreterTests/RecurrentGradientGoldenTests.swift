import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/rnn_gradients/cases.json (oracle/rnn_gradients.py): a recurrent
/// spec, and tf.GradientTape's gradients of Σ_k Σ y_k·w_k over its outputs and final states (or
/// of the decoder's cross-entropy) with respect to each float input and each variable.
struct RecurrentGradientCase: Decodable, Sendable, CustomStringConvertible {
    struct Input: Decodable, Sendable { let name: String; let file: String; let dtype: String; let gradient: String? }
    struct Variable: Decodable, Sendable { let name: String; let object_path: String?; let file: String; let gradient: String }
    struct Output: Decodable, Sendable { let name: String; let weights: String? }
    struct Loss: Decodable, Sendable { let kind: String; let labels: String; let logits: String; let value: Float }

    let name: String
    let spec: String
    let inputs: [Input]
    let variables: [Variable]
    let outputs: [Output]
    let loss: Loss?

    var description: String { name }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/rnn_gradients")

    static let all: [RecurrentGradientCase] = {
        struct Index: Decodable { let cases: [RecurrentGradientCase] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()

    func tensor(_ file: String) throws -> Tensor { try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file)) }
    func ids(_ file: String) throws -> IndexTensor { try NumPy.readIndexTensor(contentsOf: Self.directory.appendingPathComponent(file)) }
}

/// Backpropagation through every recurrent loop, through the interpreter under a GradientTape
/// (the variables given as watched tensors, seed 002's use), against TensorFlow's.
@Suite struct RecurrentGradientGoldenTests {
    @Test func theGoldensAreThere() {
        #expect(RecurrentGradientCase.all.count >= 17)
        #expect(RecurrentGradientCase.all.contains { $0.name == "decoder_loss" })
    }

    @Test("each case's gradients are TensorFlow's", arguments: RecurrentGradientCase.all)
    func matchesTensorFlow(_ golden: RecurrentGradientCase) throws {
        let model: ModelDescription, library: SpecLibrary
        if golden.name == "decoder_loss" {
            // specs/Decoder.yaml, with specs/BahdanauAttention.yaml beside it.
            let path = Repo.specs.appendingPathComponent("Decoder.yaml").path
            #expect(try String(contentsOfFile: path, encoding: .utf8) == golden.spec, "the golden was made from this spec")
            library = SpecLibrary(containing: path)
            let checked = SpecCompiler(library: library).check(file: path)
            model = try #require(checked.model, "\(checked.diagnostics)")
        } else {
            let (checked, compiler) = try SpecOperationGoldenTests.check(golden.spec)
            (model, library) = (checked, compiler.library)
        }
        let tape = GradientTape()
        var inputs: [String: Tensor] = [:], indices: [String: IndexTensor] = [:]
        for input in golden.inputs {
            if input.dtype == "int32" {
                indices[input.name] = try golden.ids(input.file)
                inputs[input.name] = Tensor(indices[input.name]!)
            } else {
                inputs[input.name] = try golden.tensor(input.file)
                tape.watch(inputs[input.name]!)
            }
        }
        var substitutes: [String: Tensor] = [:]
        for variable in golden.variables {
            let value = try golden.tensor(variable.file)
            tape.watch(value)
            substitutes[variable.object_path ?? variable.name] = value
        }
        let interpreted = try InterpretedModel(model, library: library)
        let loss = try tape.record { () throws -> Tensor in
            let results = try interpreted(inputs, indices: indices, substituting: substitutes)
            #expect(results.count == golden.outputs.count)
            if let loss = golden.loss {
                let logits = try #require(golden.outputs.firstIndex { $0.name == loss.logits })
                return try Losses.sparseSoftmaxCrossEntropy(labels: golden.ids(loss.labels), logits: results[logits])
            }
            var total = Tensor(0)
            for (result, output) in zip(results, golden.outputs) {
                total = try add(total, reduceSum(multiply(result, golden.tensor(try #require(output.weights)))))
            }
            return total
        }
        if let value = golden.loss?.value { #expect(Swift.abs(loss.scalars[0] - value) < 1e-5 * Swift.max(1, Swift.abs(value))) }
        for input in golden.inputs {
            let gradient = try tape.gradient(of: loss, withRespectTo: inputs[input.name]!)
            guard let file = input.gradient else { continue }
            let got = try #require(gradient, "\(golden.name): no gradient for input \(input.name)")
            expectClose(got, try golden.tensor(file), "\(golden.name) d/d\(input.name)", tolerance: 1e-4)
        }
        for variable in golden.variables {
            let key = variable.object_path ?? variable.name
            let got = try #require(try tape.gradient(of: loss, withRespectTo: substitutes[key]!),
                                   "\(golden.name): no gradient for \(variable.name)")
            expectClose(got, try golden.tensor(variable.gradient), "\(golden.name) d/d\(variable.name)", tolerance: 1e-4)
        }
    }

    /// specs/Decoder.yaml fine-tuned in Swift: three steps of `MomentumOptimizer` on its
    /// cross-entropy through the interpreter reach TensorFlow's losses and variables
    /// (`tf.compat.v1.train.MomentumOptimizer`, decoder_training.json).
    @Test func decoderFineTunedWithMomentumMatchesTensorFlow() throws {
        struct Golden: Decodable {
            struct Input: Decodable { let name: String; let file: String }
            struct Variable: Decodable { let object_path: String; let file: String; let trained: String }
            let inputs: [Input]
            let labels: String
            let learning_rate: Float
            let momentum: Float
            let losses: [Float]
            let variables: [Variable]
        }
        let directory = RecurrentGradientCase.directory
        func url(_ file: String) -> URL { directory.appendingPathComponent(file) }
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url("decoder_training.json")))
        let path = Repo.specs.appendingPathComponent("Decoder.yaml").path
        let library = SpecLibrary(containing: path)
        let checked = SpecCompiler(library: library).check(file: path)
        let model = try InterpretedModel(try #require(checked.model, "\(checked.diagnostics)"), library: library)
        var inputs: [String: Tensor] = [:], indices: [String: IndexTensor] = [:]
        for input in golden.inputs {
            if input.name == "x" {
                indices["x"] = try NumPy.readIndexTensor(contentsOf: url(input.file))
                inputs["x"] = Tensor(indices["x"]!)
            } else {
                inputs[input.name] = try NumPy.readTensor(contentsOf: url(input.file))
            }
        }
        let labels = try NumPy.readIndexTensor(contentsOf: url(golden.labels))
        _ = try model(inputs, indices: indices)
        try model.load(Dictionary(uniqueKeysWithValues: try golden.variables.map {
            ($0.object_path, try NumPy.readTensor(contentsOf: url($0.file)))
        }))
        let optimizer = MomentumOptimizer(learningRate: golden.learning_rate, momentum: golden.momentum)
        for (step, expected) in golden.losses.enumerated() {
            let loss = try optimizer.minimize(model) {
                try Losses.sparseSoftmaxCrossEntropy(labels: labels, logits: model(inputs, indices: indices)[0])
            }
            #expect(Swift.abs(loss.scalars[0] - expected) < 1e-4, "the loss before step \(step + 1)")
        }
        for variable in golden.variables {
            let found = try #require(model.createdVariables.first { $0.name == variable.object_path }, "\(variable.object_path)")
            expectClose(found.value, try NumPy.readTensor(contentsOf: url(variable.trained)),
                        "\(variable.object_path) after \(golden.losses.count) steps", tolerance: 1e-4)
        }
    }
}
