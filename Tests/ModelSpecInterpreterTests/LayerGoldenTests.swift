import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// One case of Tests/Goldens/layers/cases.json (oracle/layers.py): a spec beside
/// the TensorFlow model it mirrors, and what TensorFlow made of it.
struct LayerCase: Decodable, Sendable, CustomStringConvertible {
    struct Variable: Decodable, Sendable {
        let name: String
        let shape: [Int]
        let trainable: Bool
    }

    struct After: Decodable, Sendable {
        let index: Int
        let file: String
    }

    let name: String
    let spec: String
    let input: String
    /// In TensorFlow's creation order.
    let variables: [Variable]
    /// The values set after the first call, by creation index.
    let weights: [String]
    /// The output of an inference call with those values, and the losses after it.
    let output: String
    let losses: [Float]
    /// The output of a training call after it, and the non-trainable variables after that.
    let training_output: String?
    let after_training: [After]?

    var description: String { name }

    static let directory = Repo.root.appendingPathComponent("Tests/Goldens/layers")

    static let all: [LayerCase] = {
        struct Index: Decodable { let cases: [LayerCase] }
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("cases.json")) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()

    func tensor(_ file: String) throws -> Tensor {
        try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent(file))
    }
}

/// The layers of issue 14 in each form TensorFlow has, against TensorFlow: the
/// manifest (names, shapes, trainability, creation order), outputs, losses and
/// the moving statistics after a training call.
@Suite struct LayerGoldenTests {
    @Test func casesArePresent() {
        #expect(LayerCase.all.count >= 20)
    }

    /// Every declared layer kind has a golden case in each form TensorFlow has, but those the
    /// seeds and runtime goldens already cover.
    @Test func everyNewLayerHasACaseInEachForm() {
        let covered: Set<String> = ["dense", "conv2d", "flatten", "dropout", "max_pooling2d", "average_pooling2d"]
        let specs = LayerCase.all.map(\.spec)
        for kind in LayerKind.allCases where !covered.contains(kind.name) {
            if kind.tensorflow[.functional] != nil {
                #expect(specs.contains { $0.contains("- \(kind.name): ") }, "no functional case of \(kind.name)")
            }
            if kind.tensorflow[.legacyObject] != nil {
                #expect(specs.contains { $0.contains("{v1.\(kind.className): ") }, "no v1.\(kind.className) case")
            }
            #expect(specs.contains { $0.contains("layer: \(kind.className)") || $0.contains("layer: {\(kind.className): ") },
                    "no Keras \(kind.className) case")
        }
    }

    @Test(arguments: LayerCase.all)
    func matchesTensorFlow(_ golden: LayerCase) throws {
        let (description, compiler) = try SpecOperationGoldenTests.check(golden.spec)
        let x = try golden.tensor(golden.input)
        let traced = compiler.manifest(of: description, inputs: ["inputs": x.shape.map(Optional.some)])
        let manifest = try #require(traced.manifest, "\(traced.diagnostics)")
        let expected = try golden.tensor(golden.output)
        #expect(traced.outputShapes.first?.map(\.size) == expected.shape.map(Optional.some), "traced \(traced.outputShapes)")
        // The manifest is TensorFlow's: names (Keras's variable names for native weights), shapes, order.
        #expect(manifest.variables.map(\.variableName) == golden.variables.map(\.name))
        #expect(manifest.variables.map(\.shape) == golden.variables.map(\.shape))
        #expect(manifest.variables.map(\.trainable) == golden.variables.map(\.trainable))

        let model = try InterpretedModel(description)
        _ = try model(["inputs": x])
        let created = model.createdVariables
        #expect(created.map(\.name) == manifest.variables.map(\.name))
        try #require(created.count == golden.weights.count)
        for (variable, file) in zip(created, golden.weights) {
            try variable.assign(golden.tensor(file))
        }
        expectClose(try model(["inputs": x])[0], expected, "\(golden.name) output")
        let losses = model.losses.map { $0.scalar ?? .nan }
        try #require(losses.count == golden.losses.count, "losses \(losses), TensorFlow \(golden.losses)")
        for (mine, theirs) in zip(losses, golden.losses) { expectClose(Tensor(mine), Tensor(theirs), "\(golden.name) loss") }

        if let training = golden.training_output {
            expectClose(try model(["inputs": x], training: true)[0], try golden.tensor(training), "\(golden.name) training output")
            for entry in golden.after_training ?? [] {
                expectClose(created[entry.index].value, try golden.tensor(entry.file), "\(golden.name) \(created[entry.index].name) after training")
            }
        }
    }
}
