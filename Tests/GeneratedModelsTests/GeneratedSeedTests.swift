import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// A generated model of a seed spec (Generated/, the reference files of the
/// generator), seen through what every generated model offers: the `Layer`
/// interface, the static manifest, and a call.
struct GeneratedSeed {
    let layer: any Layer
    let manifest: [ManifestEntry]
    let call: ([Tensor], Bool) throws -> [Tensor]

    /// The generated type of each seed spec, with its default parameters.
    static func make(_ name: String) throws -> GeneratedSeed {
        switch name {
        case "BahdanauAttention":
            let m = BahdanauAttention()
            return GeneratedSeed(layer: m, manifest: BahdanauAttention.manifest) { x, t in let r = try m(query: x[0], values: x[1], training: t); return [r.contextVector, r.attentionWeights] }
        case "CompatModel":
            let m = CompatModel()
            return GeneratedSeed(layer: m, manifest: CompatModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "CompatV1BatchNorm":
            let m = CompatV1BatchNorm()
            return GeneratedSeed(layer: m, manifest: CompatV1BatchNorm.manifest) { x, t in [try m(x[0], training: t)] }
        case "CompatV1LayerModel":
            let m = CompatV1LayerModel()
            return GeneratedSeed(layer: m, manifest: CompatV1LayerModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "CompatV1TemplateScaleByY":
            let m = CompatV1TemplateScaleByY()
            return GeneratedSeed(layer: m, manifest: CompatV1TemplateScaleByY.manifest) { x, t in [try m(x[0], training: t)] }
        case "ComputeSum":
            let m = try ComputeSum()
            return GeneratedSeed(layer: m, manifest: ComputeSum.manifest) { x, t in [try m(x[0], training: t)] }
        case "DenseLayer":
            let m = DenseLayer()
            return GeneratedSeed(layer: m, manifest: DenseLayer.manifest) { x, t in [try m(x[0], training: t)] }
        case "FullyNativeKerasLayersModel":
            let m = FullyNativeKerasLayersModel()
            return GeneratedSeed(layer: m, manifest: FullyNativeKerasLayersModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "FullyNativeModel":
            let m = FullyNativeModel()
            return GeneratedSeed(layer: m, manifest: FullyNativeModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "FunctionalStyleCompatModel":
            let m = FunctionalStyleCompatModel()
            return GeneratedSeed(layer: m, manifest: FunctionalStyleCompatModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "NearlyFullyNativeModel":
            let m = NearlyFullyNativeModel()
            return GeneratedSeed(layer: m, manifest: NearlyFullyNativeModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "NativeScopedModel":
            let m = NativeScopedModel()
            return GeneratedSeed(layer: m, manifest: NativeScopedModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "NestedLayer":
            let m = NestedLayer()
            return GeneratedSeed(layer: m, manifest: NestedLayer.manifest) { x, t in [try m(x[0], training: t)] }
        case "NestedModel":
            let m = NestedModel()
            return GeneratedSeed(layer: m, manifest: NestedModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "OOStyleCompatModel":
            let m = OOStyleCompatModel()
            return GeneratedSeed(layer: m, manifest: OOStyleCompatModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "PartiallyMigratedModel":
            let m = PartiallyMigratedModel()
            return GeneratedSeed(layer: m, manifest: PartiallyMigratedModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "PartiallyNativeKerasLayersModel":
            let m = PartiallyNativeKerasLayersModel()
            return GeneratedSeed(layer: m, manifest: PartiallyNativeKerasLayersModel.manifest) { x, t in [try m(x[0], training: t)] }
        case "SimpleDense":
            let m = SimpleDense()
            return GeneratedSeed(layer: m, manifest: SimpleDense.manifest) { x, t in [try m(x[0], training: t)] }
        case "WrappedDenseLayer":
            let m = WrappedDenseLayer()
            return GeneratedSeed(layer: m, manifest: WrappedDenseLayer.manifest) { x, t in [try m(x[0], training: t)] }
        case "WrappedDoubleDenseLayer":
            let m = WrappedDoubleDenseLayer()
            return GeneratedSeed(layer: m, manifest: WrappedDoubleDenseLayer.manifest) { x, t in [try m(x[0], training: t)] }
        case "WrappedDoubleDenseLayerGetVariable":
            let m = WrappedDoubleDenseLayerGetVariable()
            return GeneratedSeed(layer: m, manifest: WrappedDoubleDenseLayerGetVariable.manifest) { x, t in [try m(x[0], training: t)] }
        default:
            throw TestFailure("no generated model for \(name)")
        }
    }
}

/// Agreement within 1e-5, absolute or relative.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if let problem = mismatch(actual, expected) {
        Issue.record("\(what): \(problem)", sourceLocation: sourceLocation)
    }
}

/// The generated Swift of every seed spec, compiled and run against what
/// TensorFlow computed for the same model (Tests/Goldens/seeds).
@Suite("Generated models against TensorFlow")
struct GeneratedSeedTests {
    @Test("every seed spec's generated model is here")
    func everySeed() throws {
        for name in Repo.seedModels { _ = try GeneratedSeed.make(name) }
        #expect(Repo.seedModels.count >= 20)
    }

    @Test("the static manifest is TensorFlow's creation order", arguments: Repo.seedModels)
    func manifest(_ name: String) throws {
        let golden = try SeedGolden(name)
        let model = try GeneratedSeed.make(name)
        let tf = golden.creationOrder
        let objectPaths = (golden.manifest["creation_order"] as! [[String: Any]]).map { $0["object_path"] as? String }
        try #require(model.manifest.count == tf.count, "\(model.manifest) vs \(tf.map(\.name))")
        for (index, entry) in model.manifest.enumerated() {
            #expect(entry.name == tf[index].name || entry.name == objectPaths[index], "\(entry.name) vs \(tf[index].name)")
            #expect(entry.shape == tf[index].shape)
            #expect(entry.trainable == tf[index].trainable)
            if let variableName = entry.variableName {
                #expect(variableName == tf[index].name, "TensorFlow's variable name of \(entry.name)")
            }
        }
    }

    @Test("outputs, names, weights order, losses and training updates match TensorFlow", arguments: Repo.seedModels)
    func golden(_ name: String) throws {
        let golden = try SeedGolden(name)
        let model = try GeneratedSeed.make(name)
        let inputs = try golden.inputs()

        if let secondCall = golden.secondCallOutputFiles {
            // ComputeSum: the running total starts at zero; two calls.
            for (output, file) in zip(try model.call(inputs, false), golden.outputFiles) { expectClose(output, try golden.tensor(file), "\(name) call 1") }
            for (output, file) in zip(try model.call(inputs, false), secondCall) { expectClose(output, try golden.tensor(file), "\(name) call 2") }
        } else {
            // The first call creates the variables; then TensorFlow's values, by manifest (creation) order.
            _ = try model.call(inputs, false)
            for (index, file) in golden.weightFiles {
                let variable = try #require(model.layer.weight(named: model.manifest[index].name), "no weight \(model.manifest[index].name)")
                try variable.assign(try reshape(golden.tensor(file), variable.shape))
            }
            let outputs = try model.call(inputs, false)
            try #require(outputs.count == golden.outputFiles.count)
            for (output, file) in zip(outputs, golden.outputFiles) {
                expectClose(output, try golden.tensor(file), "\(name) \(file)")
            }
        }

        // Every variable the model holds is in its manifest, and layer.weights is in TensorFlow's order.
        let position = Dictionary(uniqueKeysWithValues: model.manifest.enumerated().map { ($1.name, $0) })
        #expect(Set(model.layer.weights.map(\.name)) == Set(model.manifest.map(\.name)))
        #expect(model.layer.weights.map { position[$0.name] ?? -1 } == golden.indices("weights_index"))
        #expect(model.layer.trainableWeights.map { position[$0.name] ?? -1 } == golden.indices("trainable_weights_index"))

        let losses = model.layer.losses.map { $0.scalar ?? .nan }
        try #require(losses.count == golden.losses.count, "losses \(losses), TensorFlow \(golden.losses)")
        for (mine, theirs) in zip(losses, golden.losses) { expectClose(Tensor(mine), Tensor(theirs), "\(name) loss") }

        if let training = golden.training {
            let outputs = try model.call(inputs, true)
            if !(training["random"] as? Bool ?? false) {
                for (output, entry) in zip(outputs, training["outputs"] as! [[String: Any]]) {
                    expectClose(output, try golden.tensor(entry["file"] as! String), "\(name) training output")
                }
            }
            for entry in training["non_trainable_after"] as! [[String: Any]] {
                let variable = try #require(model.layer.weight(named: model.manifest[entry["index"] as! Int].name))
                expectClose(variable.value, try golden.tensor(entry["file"] as! String), "\(name) \(variable.name) after training")
            }
        }
    }
}
