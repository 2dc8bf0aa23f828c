import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/gradients/cases.json (oracle/gradients.py): spec steps beside the
/// TensorFlow calls they stand for, and tf.GradientTape's gradients of Σ y·w with respect to
/// each input and variable.
struct GradientCase: Decodable, Sendable, CustomStringConvertible {
    struct Value: Decodable, Sendable {
        let name: String
        let file: String
        let gradient: String?
    }

    let name: String
    let steps: [String]
    let training: Bool
    let weights: String
    let inputs: [Value]
    let variables: [Value]

    var description: String { name }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/gradients")

    static let all: [GradientCase] = {
        struct Index: Decodable { let cases: [GradientCase] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file))
    }

    func specText() throws -> String {
        var lines = ["spec: 1", "model: GradientCase", "inputs:"]
        for input in inputs {
            lines.append("  \(input.name): [\(try tensor(input.file).shape.map(String.init).joined(separator: ", "))]")
        }
        lines.append("forward:")
        lines += steps.map { "  - " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The gradients of operations and layers, through the interpreter under a GradientTape,
/// against TensorFlow's.
@Suite struct GradientGoldenTests {
    @Test func thereAreCases() {
        #expect(GradientCase.all.count > 50)
    }

    @Test("each case's gradients are TensorFlow's", arguments: GradientCase.all)
    func matchesTensorFlow(_ golden: GradientCase) throws {
        let (description, _) = try SpecOperationGoldenTests.check(try golden.specText())
        let model = try InterpretedModel(description)
        var inputs: [String: Tensor] = [:]
        for input in golden.inputs { inputs[input.name] = try golden.tensor(input.file) }
        // Build the variables, then give them TensorFlow's values.
        _ = try model(inputs, training: golden.training)
        try model.load(Dictionary(uniqueKeysWithValues: try golden.variables.map { ($0.name, try golden.tensor($0.file)) }))

        let tape = GradientTape()
        inputs.values.forEach(tape.watch)
        let weights = try golden.tensor(golden.weights)
        let loss = try tape.record { try reduceSum(multiply(model(inputs, training: golden.training)[0], weights)) }
        for input in golden.inputs {
            let gradient = try tape.gradient(of: loss, withRespectTo: inputs[input.name]!)
            if let file = input.gradient, !GradientCaseIndices.isIndices(input.name, in: golden) {
                let got = try #require(gradient, "\(golden.name): no gradient for input \(input.name)")
                expectClose(got, try golden.tensor(file), "\(golden.name) d/d\(input.name)", tolerance: 1e-4)
            } else {
                #expect(gradient == nil, "\(golden.name): input \(input.name) is not differentiable in TensorFlow")
            }
        }
        for variable in golden.variables {
            let found = try #require(model.weight(named: variable.name), "\(golden.name): no variable \(variable.name)")
            let gradient = try #require(try tape.gradient(of: loss, withRespectTo: [found])[0],
                                        "\(golden.name): no gradient for \(variable.name)")
            expectClose(gradient, try golden.tensor(try #require(variable.gradient)), "\(golden.name) d/d\(variable.name)", tolerance: 1e-4)
        }
    }
}

/// Inputs a case reads as indices (TensorFlow casts them; no gradient).
enum GradientCaseIndices {
    static func isIndices(_ name: String, in golden: GradientCase) -> Bool {
        guard let (model, _) = try? SpecOperationGoldenTests.check(try golden.specText()) else { return false }
        return OperationGradientTests.indexNames(model.body).contains(name)
    }
}
