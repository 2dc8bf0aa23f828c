import Foundation
import Testing
@testable import ModelSpecRuntime

/// The starting values of the Keras recurrent layers, made without a checkpoint, against
/// TensorFlow's (Tests/Goldens/recurrent/keras_initial_values, oracle/recurrent.py): the bias
/// exactly (`unit_forget_bias` puts ones on the LSTM's forget gate), and `recurrent_kernel`'s
/// Gram matrix `R·Rᵀ` (Keras's `orthogonal`: the identity; the random streams differ, so the
/// kernels themselves cannot be compared).
@Suite struct RecurrentInitialValuesTests {
    static let directory = RecurrentGoldenTests.directory.appendingPathComponent("keras_initial_values")

    /// The layers of the golden's cases, with Keras's defaults but for the argument each case names.
    static func layer(_ key: String) -> KerasLayer? {
        switch key {
        case "lstm": keras.LSTM(units: 3, path: "rnn")
        case "lstm_no_unit_forget_bias": keras.LSTM(units: 3, unitForgetBias: false, path: "rnn")
        case "lstm_constant": keras.LSTM(units: 2, biasInitializer: .constant(0.5), path: "rnn")
        case "gru": keras.GRU(units: 4, path: "rnn")
        case "simple_rnn": keras.SimpleRNN(units: 3, path: "rnn")
        default: nil
        }
    }

    @Test("starting bias and orthogonal recurrent kernel as TensorFlow's",
          arguments: ["lstm", "lstm_no_unit_forget_bias", "lstm_constant", "gru", "simple_rnn"])
    func startsAsTensorFlow(key: String) throws {
        let layer = try #require(Self.layer(key))
        let model = BodyLayer(sublayers: [layer]) { tf, x in try layer(x, context: tf.context) }
        _ = try model(Tensor.zeros([1, 2, 5]))
        let weights = Dictionary(uniqueKeysWithValues: model.weights.map { ($0.name, $0.value) })
        let bias = try #require(weights["rnn/cell/bias"]), recurrent = try #require(weights["rnn/cell/recurrent_kernel"])
        let expectedBias = try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("\(key)_bias.npy"))
        #expect(bias.shape == expectedBias.shape)
        #expect(bias.scalars == expectedBias.scalars, "\(key) bias")
        let gram = try matmul(recurrent, recurrent, transposeB: true)
        let expectedGram = try NumPy.readTensor(contentsOf: Self.directory.appendingPathComponent("\(key)_gram.npy"))
        expectClose(gram, expectedGram, "\(key) R·Rᵀ")
        // Not the glorot_uniform draw it used to be: that one's rows are not orthonormal.
        let glorot = try Initializer.glorotUniform().makeValue(shape: recurrent.shape, name: "rnn/cell/recurrent_kernel")
        #expect(try maxDifference(matmul(glorot, glorot, transposeB: true), expectedGram) > 0.1)
    }

    @Test func unitForgetBiasNeedsAnLSTMBias() {
        #expect(throws: TensorError.self) { try Initializer.unitForgetBias(.zeros).makeValue(shape: [6], name: "b") }
        #expect(throws: TensorError.self) { try Initializer.unitForgetBias(.zeros).makeValue(shape: [2, 4], name: "b") }
    }

    func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }
}
