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
    ]

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
