import Foundation
import ModelSpecRuntime
import Testing

/// A generated model started from TensorFlow's weights under
/// `DeterministicRandomTestTool` (`pendingValues.startingWeights`), as
/// docs/migration.md shows: the input drawn from the tool first, then the
/// model's first call; its weights are TensorFlow's (`oracle/starting_weights.py`).
@Suite struct GeneratedStartingWeightsTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Goldens/starting_weights/DenseLayer")

    @Test(arguments: DeterministicRandomTestTool.Mode.allCases)
    func denseLayer(_ mode: DeterministicRandomTestTool.Mode) throws {
        var tool = DeterministicRandomTestTool(mode: mode)
        let inputs = try tool.randomNormal(shape: [4, 20])
        let model = DenseLayer()
        model.pendingValues.startingWeights = tool
        _ = try model(inputs)
        #expect(model.pendingValues.notFromStartingWeights.isEmpty)
        let golden = Self.folder.appendingPathComponent(mode.rawValue)
        #expect(try NumPy.readTensor(contentsOf: golden.appendingPathComponent("inputs.npy")).scalars == inputs.scalars)
        for (index, variable) in model.createdVariables.enumerated() {
            let expected = try NumPy.readTensor(contentsOf: golden.appendingPathComponent("\(index).npy"))
            #expect(variable.shape == expected.shape)
            let worst = zip(variable.value.scalars, expected.scalars).map { abs($0 - $1) / max($1.ulp, .leastNormalMagnitude) }.max() ?? 0
            #expect(worst <= 4, "\(variable.name): \(worst) ulps apart")
        }
    }
}
