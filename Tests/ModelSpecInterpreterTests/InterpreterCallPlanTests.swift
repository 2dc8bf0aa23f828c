import ModelSpecInterpreter
@testable import ModelSpecRuntime
import SeedGoldens
import Testing

/// `modelspec run`'s interpreter calls the runtime's `TF1` as generated code does, so it
/// takes the same call plan: the first call names, later calls replay.
@Suite("Interpreter: call plans")
struct InterpreterCallPlanTests {
    @Test("later calls replay the first call's naming whole and still give TensorFlow's outputs",
          arguments: ["CompatV1LayerModel", "FunctionalStyleCompatModel", "WrappedDenseLayer", "WrappedDoubleDenseLayerGetVariable",
                     "DenseLayer", "CompatV1BatchNorm"])
    func laterCallsReplay(_ name: String) throws {
        let golden = try SeedGolden(name)
        let (model, description, _) = try makeModel(name, golden)
        var weights: [String: Tensor] = [:]
        for (index, file) in golden.weightFiles {
            weights[golden.creationOrder[index].name] = try reshape(golden.tensor(file), golden.creationOrder[index].shape)
        }
        try model.load(weights)
        let named = namedInputs(description, try golden.inputs())
        let inputs = description.inputs.map { named[$0.name]! }
        _ = try model(named)  // the first call: names, creates, takes the loaded values
        for call in 1...2 {
            let context = CallContext()
            let outputs = try model.call(inputs, context: context, training: false)
            #expect(context.replaying != nil && context.replayIndex == model.shim.plan?.steps.count, "\(name) call \(call)")
            for (output, file) in zip(outputs, golden.outputFiles) {
                expectClose(output, try golden.tensor(file), "\(name) call \(call)")
            }
        }
    }
}
