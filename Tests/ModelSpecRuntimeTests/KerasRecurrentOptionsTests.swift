import Foundation
import ModelSpecRuntime
import Testing

/// `stateful`, `go_backwards` and `dropout` of the Keras recurrent layers, beyond the TensorFlow
/// goldens (Tests/Goldens/recurrent `keras_*_go_backwards*`, `keras_stateful_*`,
/// `keras_*_dropout_inference`); `go_backwards`' gradients are checked in RecurrentLoopGradientTests.
@Suite struct KerasRecurrentOptionsTests {
    private func sequence(batch: Int, seed: Float = 0) throws -> Tensor {
        try Tensor(shape: [batch, 4, 3], scalars: (0..<(batch * 12)).map { sinf(Float($0) + seed) })
    }

    @Test func aStatefulLayerKeepsItsStateUntilReset() throws {
        let layer = keras.GRU(units: 2, returnState: true, stateful: true, path: "gru")
        let plain = keras.GRU(units: 2, returnState: true, path: "gru")
        let context = CallContext(training: false)
        let (x0, x1) = (try sequence(batch: 2), try sequence(batch: 2, seed: 1))
        let first = try layer([x0], context: context)
        let kernel = try #require(layer.configuration.kernel as? RecurrentKernel)
        #expect(kernel.keptState?.state?.map(\.scalars) == [first[1].scalars])
        // The same weights, the state handed on by hand.
        _ = try plain([x0], context: context)
        for (a, b) in zip(plain.ownWeights, layer.ownWeights) { try a.assign(b.value) }
        let second = try layer([x1], context: context)
        expectClose(second[0], try plain([x1, first[1]], context: context)[0], "from the kept state")
        layer.resetStates()
        #expect(kernel.keptState?.state == nil)
        expectClose(try layer([x1], context: context)[0], try plain([x1], context: context)[0], "from zeros after the reset")
        // The batch is the first call's, as Keras fixes it.
        let error = #expect(throws: TensorError.self) { _ = try layer([try sequence(batch: 1)], context: context) }
        #expect(error.map { "\($0)" }?.contains("is a batch of 1, but the stateful layer keeps the state of 2 sequences") == true)
    }

    /// The kept state is a copy: under one tape, the second call's gradient does not reach the
    /// first call's input, as Keras's state variables cut it.
    @Test func theKeptStateCutsTheTape() throws {
        let layer = keras.SimpleRNN(units: 2, stateful: true, path: "rnn")
        let (x0, x1) = (try sequence(batch: 1), try sequence(batch: 1, seed: 1))
        let tape = GradientTape()
        tape.watch(x0)
        tape.watch(x1)
        let loss = try tape.record { () throws -> Tensor in
            _ = try layer(x0)
            return try reduceSum(layer(x1))
        }
        #expect(try tape.gradient(of: loss, withRespectTo: x0) == nil)
        #expect(try tape.gradient(of: loss, withRespectTo: x1) != nil)
    }

    /// Keras's `go_backwards` reads the steps last to first and keeps the outputs in that order:
    /// the forward layer on the reversed sequence.
    @Test func goBackwardsIsTheForwardLayerOnTheReversedSequence() throws {
        let backwards = keras.LSTM(units: 2, returnSequences: true, goBackwards: true, path: "lstm")
        let forwards = keras.LSTM(units: 2, returnSequences: true, path: "lstm")
        let x = try sequence(batch: 2)
        let y = try backwards(x)
        _ = try forwards(x)
        for (a, b) in zip(forwards.ownWeights, backwards.ownWeights) { try a.assign(b.value) }
        let reversed = try Tensor(shape: x.shape, scalars: (0..<x.scalarCount).map { i in
            let (b, t, f) = (i / 12, i / 3 % 4, i % 3)
            return x.scalars[b * 12 + (3 - t) * 3 + f]
        })
        expectClose(y, try forwards(reversed), "go_backwards")
    }

    /// `dropout` and `recurrent_dropout` are the identity at inference (TensorFlow's goldens
    /// `keras_*_dropout_inference`); in training they are refused, not ignored.
    @Test func dropoutIsTheIdentityAtInferenceAndRefusedInTraining() throws {
        let layer = keras.LSTM(units: 2, returnSequences: true, dropout: 0.3, recurrentDropout: 0.2, path: "lstm")
        let plain = keras.LSTM(units: 2, returnSequences: true, path: "lstm")
        let x = try sequence(batch: 2)
        let y = try layer(x, training: false)
        _ = try plain(x)
        for (a, b) in zip(plain.ownWeights, layer.ownWeights) { try a.assign(b.value) }
        #expect(y == (try plain(x)), "the identity at inference")
        let error = #expect(throws: TensorError.self) { _ = try layer(x, training: true) }
        #expect(error.map { "\($0)" }?.contains("dropout masks are not drawn yet") == true)
    }
}
