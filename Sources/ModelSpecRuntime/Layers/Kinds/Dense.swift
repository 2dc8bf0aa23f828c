import TFNaming

/// `Dense`: `kernel` [in, units], `bias` [units]; `x · kernel + bias`, then the activation.
public struct DenseKernel: LayerKernel {
    public var units: Int
    public var weights: WeightArguments

    public init(units: Int, weights: WeightArguments = WeightArguments()) {
        self.units = units
        self.weights = weights
    }

    public var baseName: String { "dense" }
    public var makesVariables: Bool { true }
    public var supportsMasking: Bool { true }
    public var activityRegularizer: Regularizer? { weights.activityRegularizer }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard let inputSize = x.shape.last else {
            throw TensorError(op: "dense", shapes: [x.shape], reason: "needs an input of rank 1 or more")
        }
        let (kernel, bias) = try weights.kernelAndBias(inputs: inputSize, units: units, context: context, weight: weight)
        return try ModelSpecRuntime.dense(x, kernel: context.value(of: kernel), bias: bias.map { try context.value(of: $0) },
                                          activation: weights.activation, reusing: context.recycledOutput())
    }
}

extension LayerConfiguration {
    public static func dense(units: Int, activation: Activation = .linear, useBias: Bool = true,
                             kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                             kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                             trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(DenseKernel(units: units, weights: WeightArguments(
            activation: activation, useBias: useBias, kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
            kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)), name: name, trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.dense`.
    public func dense(_ x: Tensor, units: Int, activation: Activation = .linear, useBias: Bool = true,
                      kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                      kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                      trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(DenseKernel(units: units, weights: WeightArguments(
            activation: activation, useBias: useBias, kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
            kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)),
                  name: name, trainable: trainable, x, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.Dense`.
    public static func Dense(units: Int, activation: Activation = .linear, useBias: Bool = true,
                             kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                             kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                             trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.dense(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                           biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
                           biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.Dense`.
    public static func Dense(units: Int, activation: Activation = .linear, useBias: Bool = true,
                             kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                             kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                             trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.dense(units: units, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                          biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
                          biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable), path: path)
    }
}
