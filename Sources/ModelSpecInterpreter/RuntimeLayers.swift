import ModelSpecCompiler
import ModelSpecRuntime

/// The runtime kernel of each declared layer kind (``LayerKind``), by its name,
/// made from the layer's evaluated arguments (defaults filled in). A test keeps
/// the table and the declarations in step.
enum RuntimeLayers {
    static let kernels: [String: @Sendable (LayerArguments) throws -> any LayerKernel] = [
        "dense": { a in DenseKernel(units: a.int("units"), weights: try weights(a)) },
        "conv2d": { a in
            Conv2DKernel(filters: a.int("filters"), kernelSize: a.ints("kernel_size"), strides: a.ints("strides"),
                         padding: padding(a), dilationRate: a.ints("dilation_rate"), weights: try weights(a))
        },
        "batch_normalization": { a in
            BatchNormalizationKernel(axis: a.int("axis"), momentum: Float(a.double("momentum")),
                                     epsilon: Float(a.double("epsilon")), center: a.bool("center"), scale: a.bool("scale"))
        },
        "flatten": { _ in FlattenKernel() },
        "dropout": { a in DropoutKernel(rate: Float(a.double("rate"))) },
        "max_pooling2d": { a in pooling(.max, a) },
        "average_pooling2d": { a in pooling(.average, a) },
        "embedding": { a in
            EmbeddingKernel(inputDim: a.int("input_dim"), outputDim: a.int("output_dim"),
                            embeddingsInitializer: a.initializer("embeddings_initializer").map(initializer) ?? .randomUniform(),
                            embeddingsRegularizer: a.regularizer("embeddings_regularizer").map(regularizer))
        },
        "simple_rnn": { a in try recurrent(.simpleRNN, a) },
        "gru": { a in try recurrent(.gru(resetAfter: a.bool("reset_after")), a) },
        "lstm": { a in try recurrent(.lstm, a) },
    ]

    /// A Keras recurrent layer's kernel; `recurrent_activation` is sigmoid where the layer has none.
    static func recurrent(_ cell: RecurrentKernel.Cell, _ a: LayerArguments) throws -> RecurrentKernel {
        RecurrentKernel(cell: cell, units: a.int("units"), activation: try activation(a.activation()),
                        recurrentActivation: a.has("recurrent_activation") ? try activation(a.activation("recurrent_activation")) : .sigmoid,
                        useBias: a.bool("use_bias"),
                        kernelInitializer: a.initializer("kernel_initializer").map(initializer),
                        recurrentInitializer: a.initializer("recurrent_initializer").map(initializer),
                        biasInitializer: a.initializer("bias_initializer").map(initializer) ?? .zeros,
                        kernelRegularizer: a.regularizer("kernel_regularizer").map(regularizer),
                        recurrentRegularizer: a.regularizer("recurrent_regularizer").map(regularizer),
                        biasRegularizer: a.regularizer("bias_regularizer").map(regularizer),
                        returnSequences: a.bool("return_sequences"), returnState: a.bool("return_state"))
    }

    /// `activation`, `use_bias`, the initializers and regularizers of a layer with a kernel and a bias.
    static func weights(_ a: LayerArguments) throws -> WeightArguments {
        WeightArguments(activation: try activation(a.activation()), useBias: a.bool("use_bias"),
                        kernelInitializer: a.initializer("kernel_initializer").map(initializer),
                        biasInitializer: a.initializer("bias_initializer").map(initializer) ?? .zeros,
                        kernelRegularizer: a.regularizer("kernel_regularizer").map(regularizer),
                        biasRegularizer: a.regularizer("bias_regularizer").map(regularizer))
    }

    static func padding(_ a: LayerArguments) -> ModelSpecRuntime.Padding {
        a.padding() == .same ? .same : .valid
    }

    static func pooling(_ mode: Pooling2DKernel.Mode, _ a: LayerArguments) -> Pooling2DKernel {
        Pooling2DKernel(mode: mode, poolSize: a.ints("pool_size"), strides: a.optionalInts("strides"), padding: padding(a))
    }
}
