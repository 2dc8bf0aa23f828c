import Foundation
import ModelSpecCompiler
import ModelSpecInterpreter
import ModelSpecRuntime
import SeedGoldens
import Testing

/// Tests/Goldens/loss_weights/cases.json (oracle/loss_weights.py): a loss step whose weights are
/// its third operand (an input, or a number written in place), against
/// `tf.compat.v1.losses.<loss>(..., weights=)`: value, and the gradients of sum(value · w) with
/// respect to the logits and the weights; weights shapes TensorFlow refuses are refused by the checker.
struct LossWeightCase: Decodable, Sendable, CustomStringConvertible {
    struct Values: Decodable, Sendable {
        let shape: [Int]
        let values: [Float]
        func tensor() throws -> Tensor { try Tensor(shape: shape, scalars: values) }
    }

    struct Input: Decodable, Sendable {
        let name: String
        let dtype: String
        let shape: [Int]
        let values: [Float]
    }

    let name: String
    let spec: String
    let inputs: [Input]
    let value: Values
    let w: [Float]
    let logits_gradient: Values
    let weights_gradient: Values?
    var description: String { name }

    struct Refused: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let spec: String
        let tensorflow: String
        var description: String { name }
    }

    struct Index: Decodable {
        let cases: [LossWeightCase]
        let refused: [Refused]
    }

    static let index: Index? = {
        let url = Repo.root.appendingPathComponent("Tests/Goldens/loss_weights/cases.json")
        return (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(Index.self, from: $0) }
    }()
}

@Suite struct LossWeightGoldenTests {
    @Test func thereAreCases() {
        #expect((LossWeightCase.index?.cases.count ?? 0) >= 12)
        #expect((LossWeightCase.index?.refused.count ?? 0) >= 4)
    }

    @Test("a weighted loss step gives TensorFlow's value and gradients", arguments: LossWeightCase.index?.cases ?? [])
    func matchesTensorFlow(_ golden: LossWeightCase) throws {
        let (description, _) = try SpecOperationGoldenTests.check(golden.spec)
        let model = try InterpretedModel(description)
        var inputs: [String: Tensor] = [:]
        var indices: [String: IndexTensor] = [:]
        for input in golden.inputs {
            if input.dtype == "int32" {
                indices[input.name] = try IndexTensor(shape: input.shape, scalars: input.values.map { Int32($0) })
            } else {
                inputs[input.name] = try Tensor(shape: input.shape, scalars: input.values)
            }
        }
        let logits = try #require(inputs["logits"]), weights = inputs["weights"]
        let tape = GradientTape()
        tape.watch(logits)
        if let weights { tape.watch(weights) }
        let value = try tape.record { try model(inputs, indices: indices)[0] }
        expectClose(value, try golden.value.tensor(), "\(golden.name) value")
        let total = try tape.record { try reduceSum(multiply(value, Tensor(shape: value.shape, scalars: golden.w))) }
        let gradients = try tape.gradient(of: total, withRespectTo: [logits] + (weights.map { [$0] } ?? []))
        expectClose(try #require(gradients[0]), try golden.logits_gradient.tensor(), "\(golden.name) d/dlogits")
        if let expected = golden.weights_gradient {
            expectClose(try #require(gradients[1]), try expected.tensor(), "\(golden.name) d/dweights")
        }
    }

    @Test("weights TensorFlow cannot broadcast are refused where the step is written",
          arguments: LossWeightCase.index?.refused ?? [])
    func refusesWeightsTensorFlowRefuses(_ golden: LossWeightCase.Refused) throws {
        let error = #expect(throws: TestFailure.self) { try SpecOperationGoldenTests.check(golden.spec) }
        #expect(error?.description.contains("weights") == true && error?.description.contains("cannot be broadcast") == true,
                "\(String(describing: error)) (TensorFlow: \(golden.tensorflow))")
        #expect(error?.description.contains(":8:") == true, "located at the step: \(String(describing: error))")
    }

    @Test func aLossTakesTwoOrThreeOperands() throws {
        let spec = LossWeightCase.index?.cases.first?.spec ?? ""
        let four = spec.replacingOccurrences(of: "[labels, logits, weights]", with: "[labels, logits, weights, weights]")
        let error = #expect(throws: TestFailure.self) { try SpecOperationGoldenTests.check(four) }
        #expect(error?.description.contains("takes 2 or 3 operands (labels, logits, weights") == true, "\(String(describing: error))")
    }
}
