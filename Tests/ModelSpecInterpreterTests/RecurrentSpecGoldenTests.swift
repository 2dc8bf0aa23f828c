import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/recurrent (oracle/recurrent.py): a spec beside the
/// TensorFlow code it stands for, TensorFlow's variables (names, shapes, values in
/// creation order), the inputs and every output and final state.
struct RecurrentSpecCase: Decodable, Sendable, CustomStringConvertible {
    struct File: Decodable, Sendable { let name: String; let file: String; var dtype: String? }
    struct Variable: Decodable, Sendable { let name: String; let shape: [Int]; let file: String; let object_path: String? }
    let name: String
    let spec: String
    let inputs: [File]
    let variables: [Variable]
    let outputs: [File]

    var description: String { name }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/recurrent")

    static let all: [RecurrentSpecCase] = {
        struct Index: Decodable { let cases: [String] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("index.json")),
              let index = try? JSONDecoder().decode(Index.self, from: data) else { return [] }
        return index.cases.compactMap { name in
            (try? Data(contentsOf: directory.appendingPathComponent(name).appendingPathComponent("case.json")))
                .flatMap { try? JSONDecoder().decode(RecurrentSpecCase.self, from: $0) }
        }
    }()

    /// The TF1 cases (`tf.compat.v1.nn`).
    static let tf1 = all.filter { !$0.name.hasPrefix("keras_") && $0.name != "decoder" }
    /// The Keras layers' cases (with an `Embedding`'s `mask_zero`: the mask handed on between
    /// layers, `keras_mask_*`), but the stateful ones, which take three calls.
    static let keras = all.filter { $0.name.hasPrefix("keras_") && !$0.name.contains("_stateful_") }
    /// A `stateful` layer called on `x_0`, `x_1`, then after `resetStates()` on `x_2`.
    static let stateful = all.filter { $0.name.contains("_stateful_") }

    func url(_ file: String) -> URL { Self.directory.appendingPathComponent(name).appendingPathComponent(file) }
}

/// Every TF1 recurrent case through the checker, the tracer (names, shapes and order
/// of the variables, output shapes) and the interpreter (outputs and final states
/// with TensorFlow's variable values), against TensorFlow.
@Suite struct RecurrentSpecGoldenTests {
    @Test func theGoldensAreThere() {
        #expect(RecurrentSpecCase.tf1.count >= 12)
        #expect(RecurrentSpecCase.keras.count >= 20)
        #expect(RecurrentSpecCase.keras.filter { $0.name.contains("_mask_") }.count >= 7)
    }

    @Test("each TF1 case's spec makes TensorFlow's variables and values", arguments: RecurrentSpecCase.tf1)
    func tf1MatchesTensorFlow(_ golden: RecurrentSpecCase) throws {
        try Self.check(golden)
    }

    /// Keras layers: weights named by object path (`rnn/cell/kernel`), with TensorFlow's variable
    /// name (`keras_gru/gru/gru_cell/kernel`) beside it.
    @Test("each Keras case's spec makes TensorFlow's variables and values", arguments: RecurrentSpecCase.keras)
    func kerasMatchesTensorFlow(_ golden: RecurrentSpecCase) throws {
        try Self.check(golden)
    }

    /// A `stateful` layer starts each call from the last call's final state, and from zeros
    /// after `resetStates()`.
    @Test("a stateful layer keeps its state between calls as Keras's does", arguments: RecurrentSpecCase.stateful)
    func statefulKeepsItsState(_ golden: RecurrentSpecCase) throws {
        let (description, compiler) = try SpecOperationGoldenTests.check(golden.spec)
        let model = try InterpretedModel(description, library: compiler.library)
        var weights: [String: Tensor] = [:]
        for variable in golden.variables {
            weights[variable.object_path ?? variable.name] = try NumPy.readTensor(contentsOf: golden.url(variable.file))
        }
        let input = { (name: String) in try NumPy.readTensor(contentsOf: golden.url("in_\(name).npy")) }
        var results: [Tensor] = []
        for call in 0..<3 {
            if call == 2 { model.resetStates() }
            results += try model(["x": input("x_\(call)")], substituting: weights)
        }
        #expect(results.count == golden.outputs.count)
        for (result, expected) in zip(results, golden.outputs) {
            expectClose(result, try NumPy.readTensor(contentsOf: golden.url(expected.file)), "\(golden.name) \(expected.name)")
        }
        // The spec fixes the batch, as Keras's `batch_input_shape` does for a stateful layer.
        #expect(throws: (any Error).self) { _ = try model(["x": Tensor.zeros([1] + input("x_0").shape.dropFirst())]) }
    }

    /// specs/Decoder.yaml (seed 004's decoder, with specs/BahdanauAttention.yaml): TensorFlow's
    /// variables (in `layer.weights` order), logits, state and attention weights.
    @Test func decoderMatchesTensorFlow() throws {
        let golden = try #require(RecurrentSpecCase.all.first { $0.name == "decoder" })
        let path = Repo.specs.appendingPathComponent("Decoder.yaml").path
        let compiler = SpecCompiler(library: SpecLibrary(containing: path))
        let checked = compiler.check(file: path)
        let model = try #require(checked.model, "\(checked.diagnostics)")
        #expect(!checked.hasErrors, "\(checked.diagnostics)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == golden.spec, "the golden was made from this spec")
        try Self.check(golden, model: model, compiler: compiler, order: \.trainableWeightsOrder)
    }

    static func check(_ golden: RecurrentSpecCase) throws {
        let (model, compiler) = try SpecOperationGoldenTests.check(golden.spec)
        try check(golden, model: model, compiler: compiler)
    }

    /// The manifest (in creation order, or reordered by `order`), the traced output shapes and
    /// the interpreter's outputs against the golden's, for the outputs the spec returns.
    static func check(_ golden: RecurrentSpecCase, model: ModelDescription, compiler: SpecCompiler,
                      order: KeyPath<Manifest, [Int]>? = nil) throws {
        var inputs: [String: Tensor] = [:]
        var indices: [String: IndexTensor] = [:]
        for input in golden.inputs {
            if input.dtype == "int32" {
                let ids = try NumPy.readIndexTensor(contentsOf: golden.url(input.file))
                indices[input.name] = ids
                inputs[input.name] = Tensor(ids)
            } else {
                inputs[input.name] = try NumPy.readTensor(contentsOf: golden.url(input.file))
            }
        }
        let traced = compiler.manifest(of: model, inputs: inputs.mapValues { $0.shape.map(Optional.some) })
        #expect(traced.diagnostics.isEmpty, "\(traced.diagnostics)")
        let manifest = try #require(traced.manifest)
        let made = order.map { manifest[keyPath: $0].map { manifest.variables[$0] } } ?? manifest.variables
        let native = golden.variables.first?.object_path != nil
        #expect(made.map(native ? \.variableName : \.name) == golden.variables.map(\.name), "variable names and creation order")
        if native { #expect(made.map(\.name) == golden.variables.map { $0.object_path ?? "" }, "object paths") }
        #expect(made.map(\.shape) == golden.variables.map(\.shape), "variable shapes")

        var weights: [String: Tensor] = [:]
        for variable in golden.variables {
            weights[variable.object_path ?? variable.name] = try NumPy.readTensor(contentsOf: golden.url(variable.file))
        }
        let results = try InterpretedModel(model, library: compiler.library)(inputs, indices: indices, substituting: weights)
        #expect(results.count == model.outputs.count)
        #expect(golden.outputs.prefix(results.count).map(\.name) == model.outputs, "the spec's outputs are the golden's")
        for (index, (result, expected)) in zip(results, golden.outputs).enumerated() {
            let tensor = try NumPy.readTensor(contentsOf: golden.url(expected.file))
            expectClose(result, tensor, "\(golden.name) \(expected.name)")
            #expect(traced.outputShapes[index].map(\.size) == tensor.shape.map(Optional.some), "traced shape of \(expected.name)")
        }
    }
}
