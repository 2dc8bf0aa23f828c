import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// Agreement within 1e-5, absolute or relative.
func expectClose(_ actual: Tensor, _ expected: Tensor, _ what: String, tolerance: Float = 1e-5,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    if let problem = mismatch(actual, expected, tolerance: tolerance) {
        Issue.record("\(what): \(problem)", sourceLocation: sourceLocation)
    }
}

/// Checks a spec and makes its model with the golden's params.
func makeModel(_ name: String, _ golden: SeedGolden) throws -> (InterpretedModel, ModelDescription, SpecCompiler) {
    let library = SpecLibrary(directories: [Repo.specs.path])
    let compiler = SpecCompiler(library: library)
    let checked = compiler.check(file: Repo.specs.appendingPathComponent(name + ".yaml").path, params: golden.params)
    guard let description = checked.model else {
        throw TestFailure("\(name).yaml does not check: \(checked.diagnostics)")
    }
    return (try InterpretedModel(description, params: golden.params, library: library), description, compiler)
}

func namedInputs(_ description: ModelDescription, _ tensors: [Tensor]) -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: zip(description.inputs.map(\.name), tensors))
}

@Suite("Seed specs against TensorFlow")
struct SeedGoldenTests {
    @Test("every seed spec has a golden", .tags())
    func seedsFound() {
        #expect(Repo.seedModels.count >= 19, "\(Repo.seedModels)")
    }

    @Test("variable names are the compiler's manifest, and TensorFlow's where TensorFlow uses scope names", arguments: Repo.seedModels)
    func names(_ name: String) throws {
        let golden = try SeedGolden(name)
        let (model, description, compiler) = try makeModel(name, golden)
        let inputs = try golden.inputs()
        _ = try model(namedInputs(description, inputs))
        let traced = compiler.manifest(of: description, params: golden.params,
                                       inputs: Dictionary(uniqueKeysWithValues: zip(description.inputs.map(\.name), inputs.map { $0.shape.map(Optional.some) })))
        let manifest = try #require(traced.manifest, "\(traced.diagnostics)")
        let created = model.createdVariables
        #expect(created.map(\.name) == manifest.variables.map(\.name))
        #expect(created.map(\.shape) == manifest.variables.map(\.shape))
        #expect(created.map(\.trainable) == manifest.variables.map(\.trainable))
        // Against TensorFlow: same count, shapes and trainability in creation order; the
        // same names except attribute-path names of native weights.
        let tf = golden.creationOrder
        try #require(created.count == tf.count, "created \(created.map(\.name)), TensorFlow \(tf.map(\.name))")
        for (mine, theirs) in zip(created, tf) {
            #expect(mine.shape == theirs.shape, "\(mine.name) vs \(theirs.name)")
            #expect(mine.trainable == theirs.trainable, "\(mine.name) vs \(theirs.name)")
        }
        let nativeNames = Set(nativeWeightNames(model))
        for (mine, theirs) in zip(created, tf) where !nativeNames.contains(mine.name) {
            #expect(mine.name == theirs.name)
        }
    }

    @Test("outputs, weights order, losses and training updates match TensorFlow", arguments: Repo.seedModels)
    func golden(_ name: String) throws {
        let golden = try SeedGolden(name)
        let (model, description, _) = try makeModel(name, golden)
        let inputs = namedInputs(description, try golden.inputs())

        if let secondCall = golden.secondCallOutputFiles {
            // ComputeSum: the running total starts at zero; two calls.
            let first = try model(inputs)
            for (output, file) in zip(first, golden.outputFiles) { expectClose(output, try golden.tensor(file), "\(name) call 1") }
            let second = try model(inputs)
            for (output, file) in zip(second, secondCall) { expectClose(output, try golden.tensor(file), "\(name) call 2") }
        } else {
            _ = try model(inputs)
            // TensorFlow's weights, by creation index (the same order as ours).
            let created = model.createdVariables
            for (index, file) in golden.weightFiles {
                // The oracle writes scalars as shape [1]: reshape to the variable's shape.
                try created[index].assign(try reshape(golden.tensor(file), created[index].shape))
            }
            let outputs = try model(inputs)
            try #require(outputs.count == golden.outputFiles.count)
            for (output, file) in zip(outputs, golden.outputFiles) {
                expectClose(output, try golden.tensor(file), "\(name) \(file)")
            }
        }

        // layer.weights order, as indices into the creation order.
        let index = Dictionary(uniqueKeysWithValues: model.createdVariables.enumerated().map { (ObjectIdentifier($1), $0) })
        #expect(model.weights.map { index[ObjectIdentifier($0)]! } == golden.indices("weights_index"))
        #expect(model.trainableWeights.map { index[ObjectIdentifier($0)]! } == golden.indices("trainable_weights_index"))
        #expect(model.nonTrainableWeights.map { index[ObjectIdentifier($0)]! } == golden.indices("non_trainable_weights_index"))

        // Regularization losses: values and order.
        let losses = model.losses.map { $0.scalar ?? .nan }
        try #require(losses.count == golden.losses.count, "losses \(losses), TensorFlow \(golden.losses)")
        for (mine, theirs) in zip(losses, golden.losses) {
            expectClose(Tensor(mine), Tensor(theirs), "\(name) loss")
        }

        // Training mode: outputs where not random, then the moving statistics.
        if let training = golden.training {
            let outputs = try model(inputs, training: true, seed: 1)
            if !(training["random"] as? Bool ?? false) {
                for (output, entry) in zip(outputs, training["outputs"] as! [[String: Any]]) {
                    expectClose(output, try golden.tensor(entry["file"] as! String), "\(name) training output")
                }
            }
            for entry in training["non_trainable_after"] as! [[String: Any]] {
                let variable = model.createdVariables[entry["index"] as! Int]
                expectClose(variable.value, try golden.tensor(entry["file"] as! String), "\(name) \(variable.name) after training")
            }
        }
    }
}

/// Names of weights owned by Keras-native layers and `weights:` declarations, named by attribute path.
func nativeWeightNames(_ layer: any Layer) -> [String] {
    var names: [String] = []
    if layer is KerasLayer || layer is InterpretedModel { names += layer.ownWeights.map(\.name) }
    for child in layer.sublayers { names += nativeWeightNames(child) }
    if let store = layer.variableStore {
        for child in store.layers { names += nativeWeightNames(child) }
    }
    return names
}
