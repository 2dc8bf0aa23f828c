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

    /// The TF1 cases (`tf.compat.v1.nn`); the Keras layers' cases come with the native layers.
    static let tf1 = all.filter { !$0.name.hasPrefix("keras_") }

    func url(_ file: String) -> URL { Self.directory.appendingPathComponent(name).appendingPathComponent(file) }
}

/// Every TF1 recurrent case through the checker, the tracer (names, shapes and order
/// of the variables, output shapes) and the interpreter (outputs and final states
/// with TensorFlow's variable values), against TensorFlow.
@Suite struct RecurrentSpecGoldenTests {
    @Test func theGoldensAreThere() {
        #expect(RecurrentSpecCase.tf1.count >= 12)
    }

    @Test("each TF1 case's spec makes TensorFlow's variables and values", arguments: RecurrentSpecCase.tf1)
    func matchesTensorFlow(_ golden: RecurrentSpecCase) throws {
        let (model, compiler) = try SpecOperationGoldenTests.check(golden.spec)
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
        let made = traced.manifest?.variables ?? []
        #expect(made.map(\.name) == golden.variables.map(\.name), "variable names and creation order")
        #expect(made.map(\.shape) == golden.variables.map(\.shape), "variable shapes")

        var weights: [String: Tensor] = [:]
        for variable in golden.variables { weights[variable.name] = try NumPy.readTensor(contentsOf: golden.url(variable.file)) }
        let results = try InterpretedModel(model)(inputs, indices: indices, substituting: weights)
        #expect(results.count == golden.outputs.count)
        for (index, (result, expected)) in zip(results, golden.outputs).enumerated() {
            let tensor = try NumPy.readTensor(contentsOf: golden.url(expected.file))
            expectClose(result, tensor, "\(golden.name) \(expected.name)")
            #expect(traced.outputShapes[index].map(\.size) == tensor.shape.map(Optional.some), "traced shape of \(expected.name)")
        }
    }
}
