import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// The generated types of specs/LayerCatalog.yaml and specs/NativeLayerCatalog.yaml, which use
/// the layers of issue 14 in their functional, object and Keras forms, against TensorFlow
/// (oracle/layers.py, cases layer_catalog and native_layer_catalog): manifest, outputs in
/// inference and training, losses, and the moving statistics after the training call.
@Suite struct LayerCatalogTests {
    @Test(arguments: ["layer_catalog", "native_layer_catalog"])
    func generatedCatalogMatchesTensorFlow(_ name: String) throws {
        let golden = try #require(LayerGolden.named(name))
        let (layer, manifest, call): (any Layer, [ManifestEntry], (Tensor, Bool) throws -> Tensor)
        if name == "layer_catalog" {
            let model = LayerCatalog()
            (layer, manifest, call) = (model, LayerCatalog.manifest, { try model($0, training: $1) })
        } else {
            let model = NativeLayerCatalog()
            (layer, manifest, call) = (model, NativeLayerCatalog.manifest, { try model($0, training: $1) })
        }
        #expect(manifest.map { $0.variableName ?? $0.name } == golden.variables.map(\.name))
        #expect(manifest.map(\.shape) == golden.variables.map(\.shape))
        let x = try golden.tensor(golden.input)
        _ = try call(x, false)
        for (entry, file) in zip(manifest, golden.weights) {
            try #require(layer.weight(named: entry.name), "no weight \(entry.name)").assign(try golden.tensor(file))
        }
        expectClose(try call(x, false), try golden.tensor(golden.output), "\(name) output")
        let losses = layer.losses.map { $0.scalar ?? .nan }
        try #require(losses.count == golden.losses.count, "losses \(losses), TensorFlow \(golden.losses)")
        for (mine, theirs) in zip(losses, golden.losses) { expectClose(Tensor(mine), Tensor(theirs), "\(name) loss") }
        let training = try #require(golden.trainingOutput)
        expectClose(try call(x, true), try golden.tensor(training), "\(name) training output")
        for entry in golden.afterTraining ?? [] {
            let variable = try #require(layer.weight(named: manifest[entry.index].name))
            expectClose(variable.value, try golden.tensor(entry.file), "\(name) \(variable.name) after training")
        }
    }

    /// The generated types are differentiated through every convolution they have (separable,
    /// depthwise, transposed, 1-D, 3-D) and batch normalization in training: the gradients with
    /// respect to the input and to a tensor substituted for each trainable weight agree with
    /// finite differences at TensorFlow's weights.
    @Test(arguments: ["layer_catalog", "native_layer_catalog"])
    func generatedCatalogGradientsMatchFiniteDifferences(_ name: String) throws {
        let golden = try #require(LayerGolden.named(name))
        let (layer, manifest, call): (any Layer, [ManifestEntry], (Tensor, CallContext) throws -> Tensor)
        if name == "layer_catalog" {
            let model = LayerCatalog()
            (layer, manifest, call) = (model, LayerCatalog.manifest, { try model.call($0, context: $1, training: true) })
        } else {
            let model = NativeLayerCatalog()
            (layer, manifest, call) = (model, NativeLayerCatalog.manifest, { try model.call($0, context: $1, training: true) })
        }
        let x = try golden.tensor(golden.input)
        _ = try call(x, CallContext(training: true))
        for (entry, file) in zip(manifest, golden.weights) {
            try #require(layer.weight(named: entry.name)).assign(try golden.tensor(file))
        }
        let trainable = layer.trainableWeights
        // Steps small enough that the ReLU kinks near some elements are told apart (skipped).
        let report = try GradientCheck.compare(at: [x] + trainable.map(\.value), delta: 2e-3, samples: 6, kinkTolerance: 0.02) { values in
            let substitutes = Dictionary(uniqueKeysWithValues: zip(trainable.map(\.name), values.dropFirst()))
            return [try call(values[0], CallContext(training: true, substituting: substitutes))]
        }
        #expect(report.mismatches.isEmpty && report.missing.isEmpty,
                "inputs: 0 the input, \(trainable.enumerated().map { "\($0.offset + 1) \($0.element.name)" }); \(report)")
        #expect(report.checked > 3 * trainable.count)
    }
}
