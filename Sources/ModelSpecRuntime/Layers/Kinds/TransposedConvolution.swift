import TFNaming

/// `Conv2DTranspose` (NHWC): `kernel` [kh, kw, filters, in], `bias` [filters].
public struct Conv2DTransposeKernel: LayerKernel {
    public var filters: Int
    public var kernelSize: [Int]
    public var strides: [Int]
    public var padding: Padding
    public var dilationRate: [Int]
    public var weights: WeightArguments

    public init(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                dilationRate: [Int] = [1, 1], weights: WeightArguments = WeightArguments()) {
        self.filters = filters
        self.kernelSize = LayerConfiguration.pair(kernelSize)
        self.strides = LayerConfiguration.pair(strides)
        self.padding = padding
        self.dilationRate = LayerConfiguration.pair(dilationRate)
        self.weights = weights
    }

    public var baseName: String { "conv2d_transpose" }
    public var makesVariables: Bool { true }
    public var activityRegularizer: Regularizer? { weights.activityRegularizer }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard x.rank == 4 else {
            throw TensorError(op: baseName, shapes: [x.shape], reason: "is not NHWC (rank 4)")
        }
        let (kernel, bias) = try weights.kernelAndBias(kernelSize + [filters, x.shape[3]], bias: filters, weight: weight)
        return try conv2dTranspose(x, filter: context.value(of: kernel), strides: (strides[0], strides[1]), padding: padding,
                                   dilations: (dilationRate[0], dilationRate[1]),
                                   bias: bias.map { try context.value(of: $0) }, activation: weights.activation)
    }
}

extension LayerConfiguration {
    public static func conv2dTranspose(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                                       kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                                       kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(Conv2DTransposeKernel(
            filters: filters, kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate,
            weights: WeightArguments(activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                                     biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
                                     biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)),
            name: name, trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.conv2d_transpose` (NHWC; no dilation in this form).
    public func conv2dTranspose(_ x: Tensor, filters: Int, kernelSize: [Int], strides: [Int] = [1, 1],
                                padding: Padding = .valid, activation: Activation = .linear, useBias: Bool = true,
                                kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                                kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(.conv2dTranspose(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                                   activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                                   biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
                                   biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable, name: name), x, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.Conv2DTranspose`.
    public static func Conv2DTranspose(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       activation: Activation = .linear, useBias: Bool = true,
                                       kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                                       kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.conv2dTranspose(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                                     activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                                     biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer,
                                     biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.Conv2DTranspose`.
    public static func Conv2DTranspose(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                                       kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                                       kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.conv2dTranspose(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                                    dilationRate: dilationRate, activation: activation, useBias: useBias,
                                    kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                                    kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                                    trainable: trainable), path: path)
    }
}
