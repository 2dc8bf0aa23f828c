import Foundation
import ModelSpecRuntime
import SeedGoldens
import Testing

/// specs/WeightedLosses.yaml through the generated type: loss steps with weights as their third
/// operand (an input per example, a [batch, 1] column, a number in place), against
/// Tests/Goldens/loss_weights (oracle/loss_weights.py, cases 0, 8 and 2).
@Suite struct WeightedLossesTests {
    struct Values: Decodable { let shape: [Int]; let values: [Float] }
    struct Input: Decodable { let name: String; let shape: [Int]; let values: [Float] }
    struct Case: Decodable {
        let name: String
        let inputs: [Input]
        let value: Values
        let w: [Float]
        let logits_gradient: Values
    }
    struct Index: Decodable { let cases: [Case] }

    @Test func generatedTypeGivesTensorFlowsWeightedLosses() throws {
        let url = Repo.root.appendingPathComponent("Tests/Goldens/loss_weights/cases.json")
        let cases = try JSONDecoder().decode(Index.self, from: Data(contentsOf: url)).cases
        func golden(_ prefix: String) throws -> Case { try #require(cases.first { $0.name.hasPrefix(prefix) }) }
        func input(_ golden: Case, _ name: String) throws -> Input { try #require(golden.inputs.first { $0.name == name }) }
        func tensor(_ input: Input) throws -> Tensor { try Tensor(shape: input.shape, scalars: input.values) }
        let perExample = try golden("sparse_softmax_cross_entropy_sum_by_nonzero_weights_0")
        let perRow = try golden("mean_squared_error_mean_8")
        let scaled = try golden("sparse_softmax_cross_entropy_sum_over_batch_size_2")
        let labelsInput = try input(perExample, "labels")
        let labels = try IndexTensor(shape: labelsInput.shape, scalars: labelsInput.values.map { Int32($0) })
        let logits = try tensor(input(perExample, "logits"))
        let model = WeightedLosses()
        let tape = GradientTape()
        tape.watch(logits)
        let outputs = try tape.record {
            try model(labels: labels, logits: logits, targets: tensor(input(perRow, "labels")),
                      exampleWeights: tensor(input(perExample, "weights")), column: tensor(input(perRow, "weights")))
        }
        expectClose(outputs.perExample, try Tensor(shape: [], scalars: perExample.value.values), "per example")
        expectClose(outputs.perRow, try Tensor(shape: [], scalars: perRow.value.values), "per row, mean")
        expectClose(outputs.scaled, try Tensor(shape: [], scalars: scaled.value.values), "0.5 in place")
        let total = try tape.record { try multiply(outputs.perExample, Tensor(perExample.w[0])) }
        let gradient = try #require(try tape.gradient(of: total, withRespectTo: logits))
        expectClose(gradient, try Tensor(shape: perExample.logits_gradient.shape, scalars: perExample.logits_gradient.values),
                    "d/dlogits of the per-example weighted loss")
    }
}
