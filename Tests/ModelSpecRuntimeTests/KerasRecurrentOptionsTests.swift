import Foundation
@testable import ModelSpecRuntime
import Testing

/// `stateful`, `go_backwards`, `dropout` and `recurrent_dropout` of the Keras recurrent layers, beyond the TensorFlow
/// goldens (Tests/Goldens/recurrent `keras_*_go_backwards*`, `keras_stateful_*`,
/// `keras_*_dropout_inference`, Tests/Goldens/recurrent_dropout); `go_backwards`' gradients are checked in RecurrentLoopGradientTests.
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
    /// `keras_*_dropout_inference`), and a rate of 0 is the identity in training too.
    @Test func dropoutIsTheIdentityAtInference() throws {
        let layer = keras.LSTM(units: 2, returnSequences: true, dropout: 0.3, recurrentDropout: 0.2, path: "lstm")
        let unset = keras.LSTM(units: 2, returnSequences: true, dropout: 0, path: "lstm")
        let plain = keras.LSTM(units: 2, returnSequences: true, path: "lstm")
        let x = try sequence(batch: 2)
        let y = try layer(x, training: false)
        _ = try plain(x)
        _ = try unset(x)
        for (a, b) in zip(plain.ownWeights, layer.ownWeights) { try a.assign(b.value) }
        for (a, b) in zip(unset.ownWeights, layer.ownWeights) { try a.assign(b.value) }
        #expect(y == (try plain(x)), "the identity at inference")
        #expect(try unset(x, context: CallContext(training: true, seed: 3)) == (try plain(x)), "rate 0 in training")
        #expect(try layer(x, context: CallContext(training: true, seed: 3)) != (try plain(x)), "recurrent_dropout in training")
    }

    /// A layer and a copy without dropout sharing its weights.
    private func withPlainCopy(_ make: (Float) -> KerasLayer, x: Tensor) throws -> (KerasLayer, KerasLayer) {
        let (layer, plain) = (make(0.4), make(0))
        _ = try layer(x)
        _ = try plain(x)
        for (a, b) in zip(plain.ownWeights, layer.ownWeights) { try a.assign(b.value) }
        return (layer, plain)
    }

    /// In training, `dropout` multiplies the input by one mask drawn from the call's seed, its kept
    /// elements scaled by `1/(1-rate)`: one `[batch, features]` mask reused at every step for a
    /// layer Keras runs step by step (SimpleRNN, a GRU without `reset_after`, a non-default
    /// activation), a mask of the whole sequence for one it runs fused (as tf_keras's LSTM and GRU).
    @Test func dropoutDrawsTheInputMaskKerasDraws() throws {
        let x = try sequence(batch: 2)
        let cases: [(String, (Float) -> KerasLayer, Bool)] = [
            ("SimpleRNN", { keras.SimpleRNN(units: 3, returnSequences: true, dropout: $0, path: "rnn") }, false),
            ("GRU reset_after false", { keras.GRU(units: 3, returnSequences: true, dropout: $0, resetAfter: false, path: "gru") }, false),
            ("LSTM relu", { keras.LSTM(units: 3, activation: .relu, returnSequences: true, dropout: $0, path: "lstm") }, false),
            ("GRU", { keras.GRU(units: 3, returnSequences: true, dropout: $0, path: "gru") }, true),
            ("LSTM", { keras.LSTM(units: 3, returnSequences: true, dropout: $0, path: "lstm") }, true),
        ]
        for (name, make, fused) in cases {
            let (layer, plain) = try withPlainCopy(make, x: x)
            let y = try layer(x, context: CallContext(training: true, seed: 11))
            #expect(y == (try layer(x, context: CallContext(training: true, seed: 11))), "\(name): reproducible from the seed")
            #expect(y != (try layer(x, context: CallContext(training: true, seed: 12))), "\(name): another seed, another mask")
            // The mask by hand: the same draws from the same seed, in the noise shape Keras uses.
            let noiseShape = fused ? [2, 4, 3] : [2, 1, 3]
            var generator = SeededGenerator(seed: 11)
            let ones = try Tensor(shape: [2, 4, 3], scalars: Array(repeating: 1, count: 24))
            let mask = try dropout(ones, rate: 0.4, noiseShape: noiseShape, generator: &generator)
            let scale = Float(1 / (1 - 0.4))
            #expect(Set(mask.scalars) == [0, scale], "\(name): kept elements scaled by 1/(1-rate)")
            if !fused {
                for t in 1..<4 {
                    for b in 0..<2 {
                        let step = Array(mask.scalars[(b * 12 + t * 3)..<(b * 12 + t * 3 + 3)])
                        #expect(step == Array(mask.scalars[(b * 12)..<(b * 12 + 3)]), "\(name): the same mask at step \(t)")
                    }
                }
            }
            expectClose(y, try plain(try multiply(x, mask)), "\(name): the cell on the masked input")
        }
    }

    /// Under a tape the input's gradient is the plain layer's at the masked input times the mask.
    @Test func dropoutsGradientCarriesTheMask() throws {
        let x = try sequence(batch: 2)
        let (layer, plain) = try withPlainCopy({ keras.GRU(units: 3, dropout: $0, path: "gru") }, x: x)
        var generator = SeededGenerator(seed: 5)
        let ones = try Tensor(shape: [2, 4, 3], scalars: Array(repeating: 1, count: 24))
        let mask = try dropout(ones, rate: 0.4, generator: &generator)
        func gradient(_ f: (Tensor) throws -> Tensor, at input: Tensor) throws -> Tensor {
            let tape = GradientTape()
            tape.watch(input)
            let loss = try tape.record { try reduceSum(f(input)) }
            return try #require(try tape.gradient(of: loss, withRespectTo: input))
        }
        let dropped = try multiply(x, mask)
        let got = try gradient({ try layer($0, context: CallContext(training: true, seed: 5)) }, at: x)
        let expected = try multiply(gradient({ try plain($0) }, at: dropped), mask)
        expectClose(got, expected, "the gradient through the mask")
        #expect(got.scalars.contains(0) && got.scalars.contains { $0 != 0 }, "dropped elements get no gradient")
    }

    /// With `recurrent_dropout` a training call draws, from the call's seed, one `[batch, units]`
    /// mask of the state per gate (and with `dropout` one `[batch, features]` mask of the input per
    /// gate), kept elements `1/(1-rate)`: the layer is the loop on those masks.
    @Test func recurrentDropoutDrawsOneMaskPerGatePerCall() throws {
        let x = try sequence(batch: 2)
        let cases: [(String, KerasLayer, KerasLayer, Int, Float)] = [
            ("SimpleRNN", keras.SimpleRNN(units: 3, returnSequences: true, dropout: 0.3, recurrentDropout: 0.4, path: "rnn"),
             keras.SimpleRNN(units: 3, returnSequences: true, path: "rnn"), 1, 0.3),
            ("GRU", keras.GRU(units: 3, returnSequences: true, recurrentDropout: 0.4, path: "gru"),
             keras.GRU(units: 3, returnSequences: true, path: "gru"), 3, 0),
            ("LSTM", keras.LSTM(units: 3, returnSequences: true, dropout: 0.3, recurrentDropout: 0.4, path: "lstm"),
             keras.LSTM(units: 3, returnSequences: true, path: "lstm"), 4, 0.3),
        ]
        for (name, layer, plain, gates, rate) in cases {
            _ = try layer(x)
            _ = try plain(x)
            for (a, b) in zip(plain.ownWeights, layer.ownWeights) { try a.assign(b.value) }
            let y = try layer(x, context: CallContext(training: true, seed: 11))
            #expect(y == (try layer(x, context: CallContext(training: true, seed: 11))), "\(name): reproducible from the seed")
            #expect(y != (try layer(x, context: CallContext(training: true, seed: 12))), "\(name): another seed, other masks")
            var generator = SeededGenerator(seed: 11)
            let masks = try RecurrentDropoutMasks.draw(gates: gates, batch: 2, features: 3, units: 3, dropout: rate,
                                                       recurrentDropout: 0.4, generator: &generator)
            #expect(masks.state.count == gates && masks.input.count == (rate > 0 ? gates : 0), "\(name): one mask per gate")
            #expect(masks.state.allSatisfy { $0.shape == [2, 3] }, "\(name): a state mask is [batch, units], for every step")
            #expect(Set(masks.state.flatMap(\.scalars)) == [0, Float(1 / (1 - 0.4))], "\(name): kept elements scaled by 1/(1-rate)")
            if rate > 0 { #expect(Set(masks.input.flatMap(\.scalars)) == [0, Float(1 / (1 - Double(rate)))]) }
            if gates > 1 { #expect(Set(masks.state.map(\.scalars)).count > 1, "\(name): each gate its own mask") }
            let kernel = try #require(plain.ownWeights.first { $0.name.hasSuffix("cell/kernel") })
            let recurrent = try #require(plain.ownWeights.first { $0.name.hasSuffix("recurrent_kernel") })
            let bias = try #require(plain.ownWeights.first { $0.name.hasSuffix("cell/bias") })
            let cell: RecurrentCell = switch gates {
            case 1: try .kerasSimpleRNN(kernel: kernel.value, recurrentKernel: recurrent.value, bias: bias.value)
            case 3: try .kerasGRU(kernel: kernel.value, recurrentKernel: recurrent.value, bias: bias.value)
            default: try .kerasLSTM(kernel: kernel.value, recurrentKernel: recurrent.value, bias: bias.value)
            }
            let (expected, _) = try kerasRecurrent(cell, input: x, returnSequences: true, dropoutMasks: masks)
            expectClose(y, expected, "\(name): the loop on the masks drawn by hand")
        }
    }

    /// A SimpleRNN with `dropout` and `recurrent_dropout` is, step by step, `tanh((x_t·m)·W + b +
    /// (h·r)·U)` with the same masks at every step: the loop against that unrolled by hand from
    /// taped operations, its outputs and the gradients of the input and every weight.
    @Test func recurrentDropoutReusesTheMasksAtEveryStep() throws {
        let x = try sequence(batch: 2)
        let w = try Tensor(shape: [3, 3], scalars: (0..<9).map { cosf(Float($0)) * 0.5 })
        let u = try Tensor(shape: [3, 3], scalars: (0..<9).map { sinf(Float($0) * 1.3) * 0.5 })
        let b = try Tensor(shape: [3], scalars: [0.1, -0.2, 0.05])
        let inputMask = try Tensor(shape: [2, 3], scalars: [2, 0, 2, 2, 2, 0])
        let stateMask = try Tensor(shape: [2, 3], scalars: [0, 1.25, 1.25, 1.25, 0, 1.25])
        let masks = RecurrentDropoutMasks(input: [inputMask], state: [stateMask])
        func gradients(_ f: () throws -> Tensor) throws -> (Tensor, [Tensor]) {
            let tape = GradientTape()
            for t in [x, w, u, b] { tape.watch(t) }
            let output = try tape.record { try f() }
            let loss = try tape.record { try reduceSum(multiply(output, output)) }
            return (output, try [x, w, u, b].map { try #require(try tape.gradient(of: loss, withRespectTo: $0)) })
        }
        let (loop, loopGradients) = try gradients {
            try kerasRecurrent(.kerasSimpleRNN(kernel: w, recurrentKernel: u, bias: b), input: x, returnSequences: true,
                               dropoutMasks: masks).output
        }
        let (unrolled, unrolledGradients) = try gradients {
            var h = try Tensor.zeros([2, 3]), outputs: [Tensor] = []
            for t in 0..<4 {
                let xt = try reshape(slice(x, t..<(t + 1), axis: 1), [2, 3])
                h = tanh(try add(add(matmul(multiply(xt, inputMask), w), b), matmul(multiply(h, stateMask), u)))
                outputs.append(h)
            }
            return try stack(outputs, axis: 1)
        }
        expectClose(loop, unrolled, "the outputs")
        for (name, (got, expected)) in zip(["x", "kernel", "recurrent_kernel", "bias"], zip(loopGradients, unrolledGradients)) {
            expectClose(got, expected, "d/d\(name)")
        }
    }

    /// Masks that do not fit the cell are refused with the reason.
    @Test func dropoutMasksThatDoNotFitAreRefused() throws {
        let cell = try RecurrentCell.kerasGRU(kernel: Tensor.zeros([3, 6]), recurrentKernel: Tensor.zeros([2, 6]), bias: nil)
        let x = try sequence(batch: 2)
        let ones = try Tensor(shape: [2, 2], scalars: Array(repeating: 1, count: 4))
        let few = #expect(throws: TensorError.self) {
            _ = try kerasRecurrent(cell, input: x, dropoutMasks: RecurrentDropoutMasks(state: [ones]))
        }
        #expect(few.map { "\($0)" }?.contains("are 1 dropout masks of the state, but the cell has 3 gates") == true)
        let wrong = #expect(throws: TensorError.self) {
            _ = try kerasRecurrent(cell, input: x, dropoutMasks: RecurrentDropoutMasks(input: [ones, ones, ones], state: [ones, ones, ones]))
        }
        #expect(wrong.map { "\($0)" }?.contains("is not the [2, 3] of a dropout mask of the input") == true)
    }
}
