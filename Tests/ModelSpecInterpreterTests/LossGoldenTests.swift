import Foundation
import ModelSpecRuntime
import Testing

/// Tests/Goldens/gradients/losses.json (oracle/gradients.py): each tf.compat.v1.losses function with
/// weights and each reduction, its value and tf.GradientTape's gradients.
struct LossCase: Decodable, Sendable, CustomStringConvertible {
    struct Values: Decodable, Sendable {
        let shape: [Int]
        let values: [Float]
        func tensor() throws -> Tensor { try Tensor(shape: shape, scalars: values) }
    }

    let name: String
    let loss: String
    let reduction: String
    let label_smoothing: Float
    let labels: Values
    let logits: Values
    let weights: Values?
    let value: Values
    let w: [Float]
    let logits_gradient: [Float]
    let labels_gradient: [Float]?

    var description: String { name }

    static let all: [LossCase] = {
        struct Index: Decodable { let cases: [LossCase] }
        guard let data = try? Data(contentsOf: GradientCase.directory.appendingPathComponent("losses.json")) else { return [] }
        return (try? JSONDecoder().decode(Index.self, from: data).cases) ?? []
    }()
}

@Suite struct LossGoldenTests {
    @Test func everyLossAndReductionHasACase() {
        #expect(Set(LossCase.all.map(\.loss)) ==
            ["sparse_softmax_cross_entropy", "softmax_cross_entropy", "sigmoid_cross_entropy", "mean_squared_error"])
        #expect(Set(LossCase.all.map(\.reduction)) == Set(Losses.Reduction.allCases.map(\.rawValue)))
    }

    @Test("value and gradients are TensorFlow's", arguments: LossCase.all)
    func matchesTensorFlow(_ golden: LossCase) throws {
        let reduction = try #require(Losses.Reduction(rawValue: golden.reduction))
        let logits = try golden.logits.tensor()
        let weights = try golden.weights?.tensor()
        let floatLabels = try golden.labels.tensor()
        let tape = GradientTape()
        tape.watch(logits)
        tape.watch(floatLabels)
        let value = try tape.record { () throws -> Tensor in
            switch golden.loss {
            case "sparse_softmax_cross_entropy":
                return try Losses.sparseSoftmaxCrossEntropy(labels: IndexTensor(truncating: floatLabels), logits: logits,
                                                            weights: weights, reduction: reduction)
            case "softmax_cross_entropy":
                return try Losses.softmaxCrossEntropy(onehotLabels: floatLabels, logits: logits, weights: weights,
                                                      labelSmoothing: golden.label_smoothing, reduction: reduction)
            case "sigmoid_cross_entropy":
                return try Losses.sigmoidCrossEntropy(multiClassLabels: floatLabels, logits: logits, weights: weights,
                                                      labelSmoothing: golden.label_smoothing, reduction: reduction)
            default:
                return try Losses.meanSquaredError(labels: floatLabels, predictions: logits, weights: weights, reduction: reduction)
            }
        }
        expectClose(value, try golden.value.tensor(), "\(golden.name) value")
        let total = try tape.record { try reduceSum(multiply(value, Tensor(shape: value.shape, scalars: golden.w))) }
        let gradients = try tape.gradient(of: total, withRespectTo: [logits, floatLabels])
        expectClose(try #require(gradients[0]), try Tensor(shape: logits.shape, scalars: golden.logits_gradient),
                    "\(golden.name) d/dlogits")
        if let expected = golden.labels_gradient {
            expectClose(try #require(gradients[1]), try Tensor(shape: floatLabels.shape, scalars: expected), "\(golden.name) d/dlabels")
        } else {
            #expect(gradients[1] == nil, "\(golden.name): TensorFlow gives the labels no gradient")
        }
    }
}
