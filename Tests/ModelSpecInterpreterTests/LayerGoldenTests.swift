import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The layers of issue 14 in each form TensorFlow has, against TensorFlow: the
/// manifest (names, shapes, trainability, creation order), outputs, losses and
/// the moving statistics after a training call.
@Suite struct LayerGoldenTests {
    @Test func casesArePresent() {
        #expect(LayerGolden.all.count >= 20)
    }

    /// Every declared layer kind has a golden case in each form TensorFlow has, but those the
    /// seeds and runtime goldens already cover, and the recurrent layers, whose goldens are
    /// Tests/Goldens/recurrent (RecurrentSpecGoldenTests, GeneratedRecurrentTests).
    @Test func everyNewLayerHasACaseInEachForm() {
        let covered: Set<String> = ["dense", "conv2d", "flatten", "dropout", "max_pooling2d", "average_pooling2d",
                                    "embedding", "simple_rnn", "gru", "lstm"]
        let specs = LayerGolden.all.map(\.spec)
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

    @Test(arguments: LayerGolden.all)
    func matchesTensorFlow(_ golden: LayerGolden) throws {
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

        if let training = golden.trainingOutput {
            expectClose(try model(["inputs": x], training: true)[0], try golden.tensor(training), "\(golden.name) training output")
            for entry in golden.afterTraining ?? [] {
                expectClose(created[entry.index].value, try golden.tensor(entry.file), "\(golden.name) \(created[entry.index].name) after training")
            }
        }
    }
}
