import TFNaming

/// The Keras recurrent layers `SimpleRNN`, `GRU` and `LSTM`: the cell's `kernel`
/// [in, gates·units], `recurrent_kernel` [units, gates·units] and `bias`, named below
/// `cell` (`gru/cell/kernel`, the key of a TensorFlow 2 object-based checkpoint), run
/// over `[batch, time, features]` by ``kerasRecurrent(_:input:initialState:mask:returnSequences:)``.
/// Called on `[x]` or `[x] + initial state`; makes the output, then the final state
/// (`h`, or `h, c` for an LSTM) with `returnState`.
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

    public init(cell: Cell, units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                useBias: Bool = true, kernelInitializer: Initializer? = nil, recurrentInitializer: Initializer = .orthogonal(),
                biasInitializer: Initializer = .zeros, unitForgetBias: Bool = true, kernelRegularizer: Regularizer? = nil,
                recurrentRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                returnSequences: Bool = false, returnState: Bool = false) {
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
        let initial = inputs.count > 1 ? Array(inputs.dropFirst()) : nil
        let (output, state) = try kerasRecurrent(recurrentCell, input: x, initialState: initial, returnSequences: returnSequences)
        return [output] + (returnState ? state : [])
    }
}

/// `Embedding`: `embeddings` [inputDim, outputDim]; the rows of the ids (given as a
/// tensor of whole numbers, as a Keras layer's input is, or as an ``IndexTensor``).
public struct EmbeddingKernel: LayerKernel {
    public var inputDim: Int
    public var outputDim: Int
    public var embeddingsInitializer: Initializer
    public var embeddingsRegularizer: Regularizer?

    public init(inputDim: Int, outputDim: Int, embeddingsInitializer: Initializer = .randomUniform(),
                embeddingsRegularizer: Regularizer? = nil) {
        self.inputDim = inputDim
        self.outputDim = outputDim
        self.embeddingsInitializer = embeddingsInitializer
        self.embeddingsRegularizer = embeddingsRegularizer
    }

    public var baseName: String { "embedding" }
    public var makesVariables: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let table = try context.value(of: weight(WeightRequest(
            name: "embeddings", shape: [inputDim, outputDim], initializer: embeddingsInitializer,
            regularizer: embeddingsRegularizer)))
        return try embeddingLookup(table, ids: IndexTensor(truncating: x))
    }
}

extension keras {
    /// `tf.keras.layers.SimpleRNN`.
    public static func SimpleRNN(units: Int, activation: Activation = .tanh, useBias: Bool = true,
                                 kernelInitializer: Initializer? = nil, recurrentInitializer: Initializer = .orthogonal(),
                                 biasInitializer: Initializer = .zeros, kernelRegularizer: Regularizer? = nil,
                                 recurrentRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                                 returnSequences: Bool = false, returnState: Bool = false,
                                 trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(RecurrentKernel(
            cell: .simpleRNN, units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
            recurrentInitializer: recurrentInitializer, biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
            recurrentRegularizer: recurrentRegularizer, biasRegularizer: biasRegularizer, returnSequences: returnSequences,
            returnState: returnState), trainable: trainable), path: path)
    }

    /// `tf.keras.layers.GRU` (`reset_after=True` by default, as Keras 2).
    public static func GRU(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                           useBias: Bool = true, kernelInitializer: Initializer? = nil,
                           recurrentInitializer: Initializer = .orthogonal(), biasInitializer: Initializer = .zeros,
                           kernelRegularizer: Regularizer? = nil, recurrentRegularizer: Regularizer? = nil,
                           biasRegularizer: Regularizer? = nil, returnSequences: Bool = false, returnState: Bool = false,
                           resetAfter: Bool = true, trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(RecurrentKernel(
            cell: .gru(resetAfter: resetAfter), units: units, activation: activation, recurrentActivation: recurrentActivation,
            useBias: useBias, kernelInitializer: kernelInitializer, recurrentInitializer: recurrentInitializer,
            biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, recurrentRegularizer: recurrentRegularizer,
            biasRegularizer: biasRegularizer, returnSequences: returnSequences, returnState: returnState),
            trainable: trainable), path: path)
    }

    /// `tf.keras.layers.LSTM`; with `unitForgetBias` the forget gate's bias starts at ones.
    public static func LSTM(units: Int, activation: Activation = .tanh, recurrentActivation: Activation = .sigmoid,
                            useBias: Bool = true, kernelInitializer: Initializer? = nil,
                            recurrentInitializer: Initializer = .orthogonal(), biasInitializer: Initializer = .zeros,
                            kernelRegularizer: Regularizer? = nil, recurrentRegularizer: Regularizer? = nil,
                            biasRegularizer: Regularizer? = nil, returnSequences: Bool = false, returnState: Bool = false,
                            unitForgetBias: Bool = true, trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(RecurrentKernel(
            cell: .lstm, units: units, activation: activation, recurrentActivation: recurrentActivation,
            useBias: useBias, kernelInitializer: kernelInitializer, recurrentInitializer: recurrentInitializer,
            biasInitializer: biasInitializer, unitForgetBias: unitForgetBias, kernelRegularizer: kernelRegularizer,
            recurrentRegularizer: recurrentRegularizer, biasRegularizer: biasRegularizer, returnSequences: returnSequences,
            returnState: returnState), trainable: trainable), path: path)
    }

    /// `tf.keras.layers.Embedding`.
    public static func Embedding(inputDim: Int, outputDim: Int, embeddingsInitializer: Initializer = .randomUniform(),
                                 embeddingsRegularizer: Regularizer? = nil, trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(LayerConfiguration(EmbeddingKernel(inputDim: inputDim, outputDim: outputDim,
                                                      embeddingsInitializer: embeddingsInitializer,
                                                      embeddingsRegularizer: embeddingsRegularizer),
                                      trainable: trainable), path: path)
    }
}
