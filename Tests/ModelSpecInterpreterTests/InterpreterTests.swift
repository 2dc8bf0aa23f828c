import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

@Suite("Interpreter")
struct InterpreterTests {
    /// TensorFlow's weights of a seed by variable name.
    func tfWeights(_ golden: SeedGolden) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        let order = golden.creationOrder
        for (index, file) in golden.weightFiles {
            result[order[index].name] = try reshape(golden.tensor(file), order[index].shape)
        }
        return result
    }

    @Test("weights loaded by name before the first call are given to the variables as they are created",
          arguments: ["CompatV1LayerModel", "OOStyleCompatModel", "WrappedDenseLayer", "CompatV1TemplateScaleByY", "DenseLayer"])
    func loadBeforeFirstCall(_ name: String) throws {
        let golden = try SeedGolden(name)
        let (model, description, _) = try makeModel(name, golden)
        try model.load(tfWeights(golden))
        let outputs = try model(namedInputs(description, try golden.inputs()))
        for (output, file) in zip(outputs, golden.outputFiles) {
            expectClose(output, try golden.tensor(file), "\(name) first call")
        }
    }

    /// Called first inside a call under way (a context of the caller's own), the model takes the values
    /// loaded before its variables exist, as a call of its own does.
    @Test func loadBeforeAFirstCallWithAContext() throws {
        let golden = try SeedGolden("DenseLayer")
        let (model, description, _) = try makeModel("DenseLayer", golden)
        try model.load(tfWeights(golden))
        let inputs = try golden.inputs()
        #expect(description.inputs.count == inputs.count)
        let outputs = try model.call(inputs, context: CallContext(), training: false)
        for (output, file) in zip(outputs, golden.outputFiles) {
            expectClose(output, try golden.tensor(file), "DenseLayer first call with a context")
        }
        #expect(model.createdVariables.count == 2)
    }

    @Test("a second call creates nothing; two instances are independent")
    func reuseAndInstances() throws {
        let golden = try SeedGolden("WrappedDenseLayer")
        let (a, description, _) = try makeModel("WrappedDenseLayer", golden)
        let (b, _, _) = try makeModel("WrappedDenseLayer", golden)
        let inputs = namedInputs(description, try golden.inputs())
        let first = try a(inputs)
        let count = a.createdVariables.count
        #expect(try a(inputs)[0] == first[0])
        #expect(a.createdVariables.count == count)
        _ = try b(inputs)
        #expect(a.weights.map(\.name) == b.weights.map(\.name))
        #expect(zip(a.weights, b.weights).allSatisfy { $0 !== $1 })
    }

    @Test("a caller substitutes a variable by its full name for one call")
    func substitution() throws {
        let golden = try SeedGolden("CompatV1LayerModel")
        let (model, description, _) = try makeModel("CompatV1LayerModel", golden)
        let inputs = namedInputs(description, try golden.inputs())
        let original = try model(inputs)[0]
        let kernel = try #require(model.weight(named: "model/dense/kernel"))
        let bias = try #require(model.weight(named: "model/dense/bias"))
        let substituted = try model(inputs, substituting: [
            "model/dense/kernel": try Tensor.zeros(kernel.shape),
            "model/dense/bias": try Tensor.ones(bias.shape),
        ])[0]
        #expect(substituted == (try Tensor.ones(original.shape)))
        #expect(try model(inputs)[0] == original)
        #expect(throws: InterpreterError.self) {
            try model(inputs, substituting: ["model/dense/kernl": try Tensor.zeros(kernel.shape)])
        }
    }

    @Test("the training flag reaches dropout and batch normalization")
    func trainingFlag() throws {
        let golden = try SeedGolden("CompatModel")
        let (model, description, _) = try makeModel("CompatModel", golden)
        let inputs = namedInputs(description, try golden.inputs())
        let inference = try model(inputs)[0]
        #expect(try model(inputs, training: false)[0] == inference)
        #expect(try model(inputs, training: true, seed: 5)[0] != inference)
        #expect(try model(inputs, training: true, seed: 5)[0] == (try model(inputs, training: true, seed: 5)[0]))
    }
}
