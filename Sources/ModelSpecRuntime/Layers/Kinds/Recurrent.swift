import Synchronization
import TFNaming

/// The Keras recurrent layers `SimpleRNN`, `GRU` and `LSTM`: the cell's `kernel`
/// [in, gates·units], `recurrent_kernel` [units, gates·units] and `bias`, named below
/// `cell` (`gru/cell/kernel`, the key of a TensorFlow 2 object-based checkpoint), run
/// over `[batch, time, features]` by ``kerasRecurrent(_:input:initialState:mask:returnSequences:)``.
/// Called on `[x]` or `[x] + initial state`; makes the output, then the final state
/// (`h`, or `h, c` for an LSTM) with `returnState`. An input with a Keras mask (an
/// `Embedding`'s `maskZero`, ``KerasMask``) keeps the state and repeats the previous output
/// at its masked steps; with `returnSequences` the output carries the mask on. With `goBackwards` the sequence is read
/// from its last step, the outputs in that order; a `stateful` layer starts each call from
/// the last call's final state (``KeptState``, reset by ``Layer/resetStates()``).
public struct RecurrentKernel: LayerKernel {
    public enum Cell: Sendable, Equatable {
        case simpleRNN
        case gru(resetAfter: Bool)
        case lstm
    }

    public var cell: Cell
    public var units: Int
    public var activation: Activation
    public var recurrentActivation: Activation
    public var useBias: Bool
    /// nil: `glorot_uniform`.
    public var kernelInitializer: Initializer?
    /// Keras's default is `orthogonal`.
    public var recurrentInitializer: Initializer
    public var biasInitializer: Initializer
    /// An LSTM's `unit_forget_bias` (Keras's default): the forget gate's quarter of the bias
    /// starts at ones, the other gates at `biasInitializer` (``Initializer/unitForgetBias(_:)``).
    public var unitForgetBias: Bool
    public var kernelRegularizer: Regularizer?
    public var recurrentRegularizer: Regularizer?
    public var biasRegularizer: Regularizer?
    public var returnSequences: Bool
    public var returnState: Bool
    /// Keras's `go_backwards`: the steps read last to first, the outputs in that order.
    public var goBackwards: Bool
    /// The state kept between calls of a `stateful` layer; nil when it is not stateful.
    public let keptState: KeptState?
    public var stateful: Bool { keptState != nil }
    /// Keras's `dropout` and `recurrent_dropout`: the identity at inference, as in Keras. In
    /// training `dropout` drops the input as tf_keras 2 does without `recurrent_dropout`
    /// (``inputDropoutNoiseShape(_:)``). With `recurrent_dropout` Keras switches to
    /// `implementation=1`: a mask per gate for the state, and with `dropout` for the input,
    /// drawn once per call and reused at every step (``RecurrentDropoutMasks``).
    public var dropout: Float
    public var recurrentDropout: Float

    public init(cell: Cell, units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                useBias: Bool = true, kernelInitializer: Initializer? = nil, recurrentInitializer: Initializer = .orthogonal(),
                biasInitializer: Initializer = .zeros, unitForgetBias: Bool = true, kernelRegularizer: Regularizer? = nil,
                recurrentRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false, stateful: Bool = false,
                dropout: Float = 0, recurrentDropout: Float = 0) {
        self.cell = cell
        self.units = units
        self.activation = activation
        self.recurrentActivation = recurrentActivation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer
        self.recurrentInitializer = recurrentInitializer
        self.biasInitializer = biasInitializer
        self.unitForgetBias = unitForgetBias
        self.kernelRegularizer = kernelRegularizer
        self.recurrentRegularizer = recurrentRegularizer
        self.biasRegularizer = biasRegularizer
        self.returnSequences = returnSequences
        self.returnState = returnState
        self.goBackwards = goBackwards
        self.keptState = stateful ? KeptState() : nil
        self.dropout = dropout
        self.recurrentDropout = recurrentDropout
    }

    public var baseName: String {
        switch cell {
        case .simpleRNN: "simple_rnn"
        case .gru: "gru"
        case .lstm: "lstm"
        }
    }

    public var makesVariables: Bool { true }

    var gates: Int {
        switch cell {
        case .simpleRNN: 1
        case .gru: 3
        case .lstm: 4
        }
    }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        try apply([x], training: training, context: context, weight: weight)[0]
    }

    public func apply(_ inputs: [Tensor], training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> [Tensor] {
        let x = inputs[0]
        guard x.rank == 3 else {
            throw TensorError(op: baseName, shapes: [x.shape], reason: "is not a sequence [batch, time, features]")
        }
        let width = gates * units
        let kernel = try context.value(of: weight(WeightRequest(
            name: "cell/kernel", shape: [x.shape[2], width], initializer: kernelInitializer ?? .default,
            regularizer: kernelRegularizer)))
        let recurrent = try context.value(of: weight(WeightRequest(
            name: "cell/recurrent_kernel", shape: [units, width], initializer: recurrentInitializer,
            regularizer: recurrentRegularizer)))
        var bias: Tensor?
        if useBias {
            let shape = cell == .gru(resetAfter: true) ? [2, width] : [width]
            let initializer = cell == .lstm && unitForgetBias ? .unitForgetBias(biasInitializer) : biasInitializer
            bias = try context.value(of: weight(WeightRequest(name: "cell/bias", shape: shape, initializer: initializer,
                                                              regularizer: biasRegularizer)))
        }
        let recurrentCell: RecurrentCell = switch cell {
        case .simpleRNN:
            try .kerasSimpleRNN(kernel: kernel, recurrentKernel: recurrent, bias: bias, activation: activation)
        case .gru(let resetAfter):
            try .kerasGRU(kernel: kernel, recurrentKernel: recurrent, bias: bias, resetAfter: resetAfter,
                          activation: activation, recurrentActivation: recurrentActivation)
        case .lstm:
            try .kerasLSTM(kernel: kernel, recurrentKernel: recurrent, bias: bias, activation: activation,
                           recurrentActivation: recurrentActivation)
        }
        var initial = inputs.count > 1 ? Array(inputs.dropFirst()) : nil
        if let keptState {
            let kept = try keptState.state(batch: x.shape[0], op: baseName)
            initial = initial ?? kept
        }
        var dropped = x, masks: RecurrentDropoutMasks?
        if training, recurrentDropout > 0 {
            masks = try RecurrentDropoutMasks.draw(gates: gates, batch: x.shape[0], features: x.shape[2], units: units,
                                                   dropout: dropout, recurrentDropout: recurrentDropout,
                                                   generator: &context.generator)
        } else if training {
            dropped = try dropInput(x, generator: &context.generator)
        }
        let (output, state) = try kerasRecurrent(recurrentCell, input: dropped, initialState: initial,
                                                 mask: x.kerasMask?.indices, returnSequences: returnSequences,
                                                 goBackwards: goBackwards, dropoutMasks: masks)
        keptState?.keep(state)
        // Keras hands the mask on with the sequence, not with the last output or the state.
        return [returnSequences ? output.masked(x.kerasMask) : output] + (returnState ? state : [])
    }
}

extension RecurrentKernel {
    /// Whether tf_keras 2 runs this layer by its fused (cuDNN-compatible) function: an LSTM or
    /// GRU with `tanh`, `sigmoid`, a bias (and `reset_after` for a GRU), no `recurrent_dropout`
    /// (`_could_use_gpu_kernel` in tf_keras's `lstm.py`, `gru.py`).
    var runsFused: Bool {
        guard activation == .tanh, recurrentActivation == .sigmoid, useBias, recurrentDropout == 0 else { return false }
        return switch cell {
        case .simpleRNN: false
        case .gru(let resetAfter): resetAfter
        case .lstm: true
        }
    }

    /// The shape of the input's dropout mask for `[batch, time, features]` in a training call
    /// without `recurrent_dropout`, as tf_keras 2 draws it: a fused layer multiplies the whole
    /// sequence by one mask of its shape (`inputs * dropout_mask[0]` before the fused
    /// function), so each step has its own; the others run the cell step by step, which draws
    /// one `[batch, features]` mask per call and reuses it at every step (`dp_mask[0]`, and
    /// a SimpleRNN's only mask).
    func inputDropoutNoiseShape(_ shape: [Int]) -> [Int] {
        runsFused ? shape : [shape[0], 1, shape[2]]
    }

    /// The input with `dropout` applied (scaled by `1/(1-rate)`); the loop reads the Keras mask from the input itself.
    func dropInput<G: RandomNumberGenerator>(_ x: Tensor, generator: inout G) throws -> Tensor {
        guard dropout > 0 else { return x }
        let dropped = try ModelSpecRuntime.dropout(x, rate: dropout, noiseShape: inputDropoutNoiseShape(x.shape),
                                                   generator: &generator)
        return dropped
    }
}

/// The state a `stateful` Keras recurrent layer keeps between calls (Keras's `layer.states`):
/// the last call's final state, zeros before the first call and after ``reset()``. Not a
/// weight: Keras neither lists it in `layer.weights` nor saves it in checkpoints. The batch
/// size is fixed by the first call, as Keras fixes a stateful layer's.
public final class KeptState: Sendable {
    private struct Kept {
        var batch: Int?
        var state: [Tensor]?
    }
    private let kept = Mutex(Kept())

    init() {}

    /// The state to start a call of `batch` sequences from (nil: zeros).
    /// - Throws: `TensorError` when `batch` is not the first call's.
    func state(batch: Int, op: String) throws -> [Tensor]? {
        try kept.withLock { kept in
            if let fixed = kept.batch, fixed != batch {
                throw TensorError(op: op, shapes: [[batch]], reason: "is a batch of \(batch), but the stateful layer keeps the state of \(fixed) sequences (its first call's batch): a stateful layer's batch size is fixed, as in Keras")
            }
            kept.batch = batch
            return kept.state
        }
    }

    /// Keeps copies, which a gradient tape does not follow: as Keras assigns the state to its
    /// variables, the next call's gradient does not flow back into this one.
    func keep(_ state: [Tensor]) {
        let copies = state.map { tensor in
            let copy = Tensor(uninitializedShape: tensor.shape)
            copy.storage.base.update(from: tensor.storage.base, count: tensor.scalarCount)
            return copy
        }
        kept.withLock { $0.state = copies }
    }

    /// Back to zeros (Keras's `reset_states()`); the batch size stays fixed.
    public func reset() {
        kept.withLock { $0.state = nil }
    }

    /// The kept state, in Keras's order (`[h, c]` for an LSTM); nil before the first call and after a reset.
    public var state: [Tensor]? { kept.withLock { $0.state } }
}

extension Layer {
    /// Resets the kept state of every `stateful` recurrent layer in this layer and its
    /// sublayers (Keras's `model.reset_states()`): the next call starts from zeros.
    public func resetStates() {
        if let layer = self as? KerasLayer, let kernel = layer.configuration.kernel as? RecurrentKernel {
            kernel.keptState?.reset()
        }
        for child in sublayers { child.resetStates() }
    }
}

extension keras {
    /// `tf.keras.layers.SimpleRNN`.
    public static func SimpleRNN(units: Int, activation: Activation = .tanh, useBias: Bool = true,
                                 kernelInitializer: Initializer? = nil, recurrentInitializer: Initializer = .orthogonal(),
                                 biasInitializer: Initializer = .zeros, kernelRegularizer: Regularizer? = nil,
                                 recurrentRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                                 returnSequences: Bool = false, returnState: Bool = false, goBackwards: Bool = false,
                                 stateful: Bool = false, dropout: Float = 0, recurrentDropout: Float = 0,
                                 trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(RecurrentKernel(
            cell: .simpleRNN, units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
            recurrentInitializer: recurrentInitializer, biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
            recurrentRegularizer: recurrentRegularizer, biasRegularizer: biasRegularizer, returnSequences: returnSequences,
            returnState: returnState, goBackwards: goBackwards, stateful: stateful,
            dropout: dropout, recurrentDropout: recurrentDropout), trainable: trainable), path: path)
    }

    /// `tf.keras.layers.GRU` (`reset_after=True` by default, as Keras 2).
    public static func GRU(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                           useBias: Bool = true, kernelInitializer: Initializer? = nil,
                           recurrentInitializer: Initializer = .orthogonal(), biasInitializer: Initializer = .zeros,
                           kernelRegularizer: Regularizer? = nil, recurrentRegularizer: Regularizer? = nil,
                           biasRegularizer: Regularizer? = nil, returnSequences: Bool = false, returnState: Bool = false,
                           goBackwards: Bool = false, stateful: Bool = false, dropout: Float = 0, recurrentDropout: Float = 0,
                           resetAfter: Bool = true, trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(RecurrentKernel(
            cell: .gru(resetAfter: resetAfter), units: units, activation: activation, recurrentActivation: recurrentActivation,
            useBias: useBias, kernelInitializer: kernelInitializer, recurrentInitializer: recurrentInitializer,
            biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, recurrentRegularizer: recurrentRegularizer,
            biasRegularizer: biasRegularizer, returnSequences: returnSequences, returnState: returnState,
            goBackwards: goBackwards, stateful: stateful,
            dropout: dropout, recurrentDropout: recurrentDropout), trainable: trainable), path: path)
    }

    /// `tf.keras.layers.LSTM`; with `unitForgetBias` the forget gate's bias starts at ones.
    public static func LSTM(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                            useBias: Bool = true, kernelInitializer: Initializer? = nil,
                            recurrentInitializer: Initializer = .orthogonal(), biasInitializer: Initializer = .zeros,
                            kernelRegularizer: Regularizer? = nil, recurrentRegularizer: Regularizer? = nil,
                            biasRegularizer: Regularizer? = nil, returnSequences: Bool = false, returnState: Bool = false,
                            goBackwards: Bool = false, stateful: Bool = false, dropout: Float = 0, recurrentDropout: Float = 0,
                            unitForgetBias: Bool = true, trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(RecurrentKernel(
            cell: .lstm, units: units, activation: activation, recurrentActivation: recurrentActivation,
            useBias: useBias, kernelInitializer: kernelInitializer, recurrentInitializer: recurrentInitializer,
            biasInitializer: biasInitializer, unitForgetBias: unitForgetBias, kernelRegularizer: kernelRegularizer,
            recurrentRegularizer: recurrentRegularizer, biasRegularizer: biasRegularizer, returnSequences: returnSequences,
            returnState: returnState, goBackwards: goBackwards, stateful: stateful,
            dropout: dropout, recurrentDropout: recurrentDropout), trainable: trainable), path: path)
    }
}
