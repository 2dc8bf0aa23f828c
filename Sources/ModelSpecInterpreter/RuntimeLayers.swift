import ModelSpecCompiler
import ModelSpecRuntime

/// The runtime kernel of each declared layer kind (``LayerKind``), by its name,
/// made from the layer's evaluated arguments (defaults filled in). A test keeps
/// the table and the declarations in step.
enum RuntimeLayers {
    static let kernels: [String: @Sendable (LayerArguments) throws -> any LayerKernel] = [
        "dense": { a in DenseKernel(units: a.int("units"), weights: try weights(a)) },
        "conv1d": { a in try convolution(rank: 1, a) },
        "conv2d": { a in try convolution(rank: 2, a) },
        "conv3d": { a in try convolution(rank: 3, a) },
        "conv2d_transpose": { a in
            Conv2DTransposeKernel(filters: a.int("filters"), kernelSize: a.ints("kernel_size"), strides: a.ints("strides"),
                                  padding: padding(a), dilationRate: a.optionalInts("dilation_rate") ?? [1, 1],
                                  weights: try weights(a))
        },
        "separable_conv2d": { a in
            SeparableConv2DKernel(filters: a.int("filters"), depthwise: depthwise(a),
                                  pointwiseInitializer: a.initializer("pointwise_initializer").map(initializer),
                                  pointwiseRegularizer: a.regularizer("pointwise_regularizer").map(regularizer),
                                  weights: try weights(a))
        },
        "depthwise_conv2d": { a in DepthwiseConv2DKernel(depthwise: depthwise(a), weights: try weights(a)) },
        "batch_normalization": { a in
            BatchNormalizationKernel(axis: a.int("axis"), momentum: Float(a.double("momentum")),
                                     epsilon: Float(a.double("epsilon")), center: a.bool("center"), scale: a.bool("scale"),
                                     fused: a.has("fused") ? a.bool("fused") : nil)
        },
        "layer_normalization": { a in
            LayerNormalizationKernel(axis: a.ints("axis"), epsilon: Float(a.double("epsilon")), center: a.bool("center"),
                                     scale: a.bool("scale"))
        },
        "flatten": { _ in FlattenKernel() },
        "dropout": { a in DropoutKernel(rate: Float(a.double("rate"))) },
        "max_pooling2d": { a in pooling(.max, a) },
        "average_pooling2d": { a in pooling(.average, a) },
        "slim.conv2d": { a in
            try slim(.conv2d(kernelSize: a.ints("kernel_size"), stride: a.ints("stride"), padding: padding(a), rate: a.ints("rate")), a)
        },
        "slim.fully_connected": { a in try slim(.fullyConnected, a) },
        "slim.separable_conv2d": { a in
            try slim(.separableConv2d(kernelSize: a.ints("kernel_size"), depthMultiplier: a.int("depth_multiplier"),
                                      stride: a.ints("stride"), padding: padding(a), rate: a.ints("rate")), a)
        },
        "slim.conv2d_transpose": { a in
            try slim(.conv2dTranspose(kernelSize: a.ints("kernel_size"), stride: a.ints("stride"), padding: padding(a)), a)
        },
        "slim.layer_norm": { a in
            SlimLayerNormKernel(center: a.bool("center"), scale: a.bool("scale"), activation: try activation(a.activation("activation_fn")),
                                beginNormAxis: a.int("begin_norm_axis"), beginParamsAxis: a.int("begin_params_axis"))
        },
        "slim.batch_norm": { a in
            SlimBatchNormKernel(decay: Float(a.double("batch_norm_decay")), epsilon: Float(a.double("batch_norm_epsilon")),
                                center: a.bool("batch_norm_beta"), scale: a.bool("batch_norm_gamma"),
                                activation: try activation(a.activation("activation_fn")),
                                updateOps: a.bool("batch_norm_update_ops"), fused: a.bool("batch_norm_fused"))
        },
        "embedding": { a in
            EmbeddingKernel(inputDim: a.int("input_dim"), outputDim: a.int("output_dim"),
                            embeddingsInitializer: a.initializer("embeddings_initializer").map(initializer) ?? .randomUniform(),
                            embeddingsRegularizer: a.regularizer("embeddings_regularizer").map(regularizer),
                            maskZero: a.bool("mask_zero"))
        },
        "simple_rnn": { a in try recurrent(.simpleRNN, a) },
        "gru": { a in try recurrent(.gru(resetAfter: a.bool("reset_after")), a) },
        "lstm": { a in try recurrent(.lstm, a) },
    ]

    static func convolution(rank: Int, _ a: LayerArguments) throws -> ConvolutionKernel {
        ConvolutionKernel(rank: rank, filters: a.int("filters"), kernelSize: a.ints("kernel_size"), strides: a.ints("strides"),
                          padding: padding(a), dilationRate: a.ints("dilation_rate"), weights: try weights(a))
    }

    /// The depthwise step of a separable or depthwise convolution.
    static func depthwise(_ a: LayerArguments) -> DepthwiseArguments {
        DepthwiseArguments(kernelSize: a.ints("kernel_size"), strides: a.ints("strides"), padding: padding(a),
                           dilationRate: a.ints("dilation_rate"), depthMultiplier: a.int("depth_multiplier"),
                           initializer: a.initializer("depthwise_initializer").map(initializer),
                           regularizer: a.regularizer("depthwise_regularizer").map(regularizer))
    }

    /// TF-Slim's `conv2d`, `fully_connected`, `separable_conv2d` or `conv2d_transpose`, with its normalizer.
    static func slim(_ operation: SlimLayerKernel.Operation, _ a: LayerArguments) throws -> SlimLayerKernel {
        let normalizer = SlimBatchNormKernel.normalizer(
            a.bool("batch_norm"), decay: Float(a.double("batch_norm_decay")), epsilon: Float(a.double("batch_norm_epsilon")),
            center: a.bool("batch_norm_beta"), scale: a.bool("batch_norm_gamma"),
            updateOps: a.bool("batch_norm_update_ops"), fused: a.bool("batch_norm_fused"))
        return SlimLayerKernel(operation, numOutputs: a.has("num_outputs") ? a.int("num_outputs") : nil, activation: try activation(a.activation("activation_fn")),
                               weightsInitializer: a.initializer("weights_initializer").map(initializer),
                               weightsRegularizer: a.regularizer("weights_regularizer").map(regularizer),
                               biasesInitializer: a.initializer("biases_initializer").map(initializer) ?? .zeros,
                               biasesRegularizer: a.regularizer("biases_regularizer").map(regularizer),
                               biases: a.bool("biases"), normalizer: normalizer,
                               pointwiseInitializer: a.initializer("pointwise_initializer").map(initializer))
    }

    /// A Keras recurrent layer's kernel; `recurrent_activation` is sigmoid where the layer has none.
    static func recurrent(_ cell: RecurrentKernel.Cell, _ a: LayerArguments) throws -> RecurrentKernel {
        RecurrentKernel(cell: cell, units: a.int("units"), activation: try activation(a.activation()),
                        recurrentActivation: a.has("recurrent_activation") ? try activation(a.activation("recurrent_activation")) : .sigmoid,
                        useBias: a.bool("use_bias"),
                        kernelInitializer: a.initializer("kernel_initializer").map(initializer),
                        recurrentInitializer: a.initializer("recurrent_initializer").map(initializer) ?? .orthogonal(),
                        biasInitializer: a.initializer("bias_initializer").map(initializer) ?? .zeros,
                        unitForgetBias: a.has("unit_forget_bias") && a.bool("unit_forget_bias"),
                        kernelRegularizer: a.regularizer("kernel_regularizer").map(regularizer),
                        recurrentRegularizer: a.regularizer("recurrent_regularizer").map(regularizer),
                        biasRegularizer: a.regularizer("bias_regularizer").map(regularizer),
                        returnSequences: a.bool("return_sequences"), returnState: a.bool("return_state"),
                        goBackwards: a.bool("go_backwards"), stateful: a.bool("stateful"),
                        dropout: Float(a.double("dropout")), recurrentDropout: Float(a.double("recurrent_dropout")))
    }

    /// `activation`, `use_bias`, the initializers and regularizers of a layer with a kernel and a bias.
    static func weights(_ a: LayerArguments) throws -> WeightArguments {
        WeightArguments(activation: try activation(a.activation()), useBias: a.bool("use_bias"),
                        kernelInitializer: a.initializer("kernel_initializer").map(initializer),
                        biasInitializer: a.initializer("bias_initializer").map(initializer) ?? .zeros,
                        kernelRegularizer: a.regularizer("kernel_regularizer").map(regularizer),
                        biasRegularizer: a.regularizer("bias_regularizer").map(regularizer),
                        activityRegularizer: a.regularizer("activity_regularizer").map(regularizer))
    }

    static func padding(_ a: LayerArguments) -> ModelSpecRuntime.Padding {
        a.padding() == .same ? .same : .valid
    }

    static func pooling(_ mode: Pooling2DKernel.Mode, _ a: LayerArguments) -> Pooling2DKernel {
        Pooling2DKernel(mode: mode, poolSize: a.ints("pool_size"), strides: a.optionalInts("strides"), padding: padding(a))
    }
}
