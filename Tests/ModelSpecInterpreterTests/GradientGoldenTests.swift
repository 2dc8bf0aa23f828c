import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/gradients/cases.json (oracle/gradients.py): spec steps (and `layers:`)
/// beside the TensorFlow calls they stand for, and tf.GradientTape's gradients of Σ y·w with respect
/// to each input and trainable variable (a variable without a gradient file is not trainable).
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
    /// The spec's `layers:`, by attribute name.
    let layers: [String: String]?
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
        if let layers {
            lines.append("layers:")
            lines += layers.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
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

    /// Declared kinds whose gradients are checked elsewhere, and why.
    static let layerKindsCheckedElsewhere: [String: String] = [
        "simple_rnn": "recurrent loops: tf.GradientTape goldens in rnn_gradients (RecurrentGradientGoldenTests)",
        "gru": "recurrent loops: tf.GradientTape goldens in rnn_gradients (RecurrentGradientGoldenTests)",
        "lstm": "recurrent loops: tf.GradientTape goldens in rnn_gradients (RecurrentGradientGoldenTests)",
    ]

    /// Every declared operation and layer kind (TF-Slim's too), and every activation a layer takes,
    /// has a case here (the losses have theirs in losses.json: LossGoldenTests); batch normalization
    /// is checked in training and in inference.
    @Test func everyOperationLayerKindAndActivationHasACase() {
        let coverage = GradientCoverage.goldens
        let losses = Set(LossCase.all.map(\.loss))
        let operations = Set(OperationDeclaration.all.map(\.name)).subtracting(coverage.operations).subtracting(losses)
        #expect(operations.isEmpty, "operations without a gradient golden: \(operations.sorted())")
        let kinds = (LayerKind.allCases + LayerKind.slimCases).map(\.name).filter { Self.layerKindsCheckedElsewhere[$0] == nil }
        let uncovered = Set(kinds).subtracting(coverage.layerKinds)
        #expect(uncovered.isEmpty, "layer kinds without a gradient golden: \(uncovered.sorted())")
        for kind in ["batch_normalization", "slim.batch_norm"] {
            #expect(coverage.modes[kind] == [true, false], "\(kind) needs a gradient golden in training and in inference")
        }
        let activations = Set(Activation.allCases.map(\.rawValue)).subtracting(coverage.activations)
        #expect(activations.isEmpty, "activations no layer of a gradient golden uses: \(activations.sorted())")
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
            let gradient = try tape.gradient(of: loss, withRespectTo: [found])[0]
            guard let file = variable.gradient else {
                #expect(gradient == nil, "\(golden.name): \(variable.name) is not trainable in TensorFlow")
                continue
            }
            expectClose(try #require(gradient, "\(golden.name): no gradient for \(variable.name)"), try golden.tensor(file),
                        "\(golden.name) d/d\(variable.name)", tolerance: 1e-4)
        }
    }
}

/// What the gradient goldens use: operations, layer kinds (with the training flag of each call),
/// and the activations given as a layer's `activation:`.
struct GradientCoverage {
    var operations = Set<String>()
    var layerKinds = Set<String>()
    /// Layer kinds called in training (`true`) and in inference (`false`).
    var modes: [String: Set<Bool>] = [:]
    var activations = Set<String>()

    static let goldens: GradientCoverage = {
        var coverage = GradientCoverage()
        for golden in GradientCase.all {
            guard let (model, _) = try? SpecOperationGoldenTests.check(try golden.specText()) else { continue }
            coverage.operations.formUnion(SpecOperationGoldenTests.operations(model.body))
            for declaration in model.layers {
                switch declaration.kind {
                case let .native(config), let .legacy(config): coverage.add(config, training: golden.training)
                default: break
                }
            }
            coverage.visit(model.body, training: golden.training)
        }
        return coverage
    }()

    mutating func add(_ config: LayerConfig, training: Bool) {
        layerKinds.insert(config.kind.name)
        let mode = switch config.training {
        case let .constant(flag)?: flag
        default: training
        }
        modes[config.kind.name, default: []].insert(mode)
        for case let .activation(activation) in config.arguments.values { activations.insert(activation.rawValue) }
    }

    mutating func visit(_ steps: [Step], training: Bool) {
        for step in steps {
            switch step.operation {
            case let .legacyLayer(config), let .getOrCreateLayer(_, config): add(config, training: training)
            case let .variableScope(_, _, _, body), let .nameScope(_, body), let .repeated(_, body), let .conditional(_, body):
                visit(body, training: training)
            default: break
            }
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
