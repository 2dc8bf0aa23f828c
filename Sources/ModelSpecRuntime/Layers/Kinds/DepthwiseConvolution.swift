import TFNaming

/// The depthwise step of `SeparableConv2D` and `DepthwiseConv2D`: `depthwise_kernel`
/// [kh, kw, in, depthMultiplier], its initializer and regularizer.
public struct DepthwiseArguments: Sendable, Equatable {
    public var kernelSize: [Int]
    public var strides: [Int]
    public var padding: Padding
    public var dilationRate: [Int]
    public var depthMultiplier: Int
    /// nil: `glorot_uniform`.
    public var initializer: Initializer?
    public var regularizer: Regularizer?

    public init(kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid, dilationRate: [Int] = [1, 1],
                depthMultiplier: Int = 1, initializer: Initializer? = nil, regularizer: Regularizer? = nil) {
        self.kernelSize = LayerConfiguration.pair(kernelSize)
        self.strides = LayerConfiguration.pair(strides)
        self.padding = padding
        self.dilationRate = LayerConfiguration.pair(dilationRate)
        self.depthMultiplier = depthMultiplier
        self.initializer = initializer
        self.regularizer = regularizer
    }

    /// `depthwise_kernel` of an input of `channels`.
    func kernel(channels: Int, weight: (WeightRequest) throws -> Variable) throws -> Variable {
        try weight(WeightRequest(name: "depthwise_kernel", shape: kernelSize + [channels, depthMultiplier],
                                 initializer: initializer ?? .default, regularizer: regularizer))
    }

    func convolve(_ x: Tensor, _ kernel: Tensor, bias: Tensor? = nil, activation: Activation = .linear) throws -> Tensor {
        try depthwiseConv2d(x, filter: kernel, strides: (strides[0], strides[1]), padding: padding,
                            dilations: (dilationRate[0], dilationRate[1]), bias: bias, activation: activation)
    }
}

/// Keras's `DepthwiseConv2D` (NHWC): `depthwise_kernel` [kh, kw, in, multiplier], `bias` [in·multiplier].
public struct DepthwiseConv2DKernel: LayerKernel {
    public var depthwise: DepthwiseArguments
    /// The bias, activation and activity regularizer (the `kernel*` ones are unused: the kernel is the depthwise one).
    public var weights: WeightArguments

    public init(depthwise: DepthwiseArguments, weights: WeightArguments = WeightArguments()) {
        self.depthwise = depthwise
        self.weights = weights
    }

    public var baseName: String { "depthwise_conv2d" }
    public var makesVariables: Bool { true }
    public var activityRegularizer: Regularizer? { weights.activityRegularizer }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard x.rank == 4 else { throw TensorError(op: baseName, shapes: [x.shape], reason: "is not NHWC (rank 4)") }
        let kernel = try depthwise.kernel(channels: x.shape[3], weight: weight)
        let bias = try weights.bias(x.shape[3] * depthwise.depthMultiplier, weight: weight)
        return try depthwise.convolve(x, context.value(of: kernel), bias: bias.map { try context.value(of: $0) },
                                      activation: weights.activation)
    }
}

/// `SeparableConv2D` (NHWC): the depthwise convolution, then a 1x1 convolution to `filters`:
/// `depthwise_kernel`, `pointwise_kernel` [1, 1, in·multiplier, filters], `bias` [filters].
public struct SeparableConv2DKernel: LayerKernel {
    public var filters: Int
    public var depthwise: DepthwiseArguments
    public var pointwiseInitializer: Initializer?
    public var pointwiseRegularizer: Regularizer?
    /// `kernel*` of these are unused: the kernels are the depthwise and pointwise ones.
    public var weights: WeightArguments

    public init(filters: Int, depthwise: DepthwiseArguments, pointwiseInitializer: Initializer? = nil,
                pointwiseRegularizer: Regularizer? = nil, weights: WeightArguments = WeightArguments()) {
        self.filters = filters
        self.depthwise = depthwise
        self.pointwiseInitializer = pointwiseInitializer
        self.pointwiseRegularizer = pointwiseRegularizer
        self.weights = weights
    }

    public var baseName: String { "separable_conv2d" }
    public var makesVariables: Bool { true }
    public var activityRegularizer: Regularizer? { weights.activityRegularizer }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard x.rank == 4 else { throw TensorError(op: baseName, shapes: [x.shape], reason: "is not NHWC (rank 4)") }
        let channels = x.shape[3] * depthwise.depthMultiplier
        let depthwiseKernel = try depthwise.kernel(channels: x.shape[3], weight: weight)
        let pointwise = try weight(WeightRequest(name: "pointwise_kernel", shape: [1, 1, channels, filters],
                                                 initializer: pointwiseInitializer ?? .default,
                                                 regularizer: pointwiseRegularizer))
        let bias = try weights.bias(filters, weight: weight)
        let spread = try depthwise.convolve(x, context.value(of: depthwiseKernel))
        return try conv2d(spread, filter: context.value(of: pointwise), bias: bias.map { try context.value(of: $0) },
                          activation: weights.activation)
    }
}

extension LayerConfiguration {
    public static func separableConv2d(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       dilationRate: [Int] = [1, 1], depthMultiplier: Int = 1,
                                       activation: Activation = .linear, useBias: Bool = true,
                                       depthwiseInitializer: Initializer? = nil, pointwiseInitializer: Initializer? = nil,
                                       biasInitializer: Initializer = .zeros, depthwiseRegularizer: Regularizer? = nil,
                                       pointwiseRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(SeparableConv2DKernel(
            filters: filters,
            depthwise: DepthwiseArguments(kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate,
                                          depthMultiplier: depthMultiplier, initializer: depthwiseInitializer,
                                          regularizer: depthwiseRegularizer),
            pointwiseInitializer: pointwiseInitializer, pointwiseRegularizer: pointwiseRegularizer,
            weights: WeightArguments(activation: activation, useBias: useBias, biasInitializer: biasInitializer,
                                     biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)),
            name: name, trainable: trainable)
    }

    public static func depthwiseConv2d(kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       depthMultiplier: Int = 1, dilationRate: [Int] = [1, 1],
                                       activation: Activation = .linear, useBias: Bool = true,
                                       depthwiseInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                                       depthwiseRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true) -> LayerConfiguration {
        LayerConfiguration(DepthwiseConv2DKernel(
            depthwise: DepthwiseArguments(kernelSize: kernelSize, strides: strides, padding: padding, dilationRate: dilationRate,
                                          depthMultiplier: depthMultiplier, initializer: depthwiseInitializer,
                                          regularizer: depthwiseRegularizer),
            weights: WeightArguments(activation: activation, useBias: useBias, biasInitializer: biasInitializer,
                                     biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)),
            trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.separable_conv2d` (NHWC).
    public func separableConv2d(_ x: Tensor, filters: Int, kernelSize: [Int], strides: [Int] = [1, 1],
                                padding: Padding = .valid, dilationRate: [Int] = [1, 1], depthMultiplier: Int = 1,
                                activation: Activation = .linear, useBias: Bool = true,
                                depthwiseInitializer: Initializer? = nil, pointwiseInitializer: Initializer? = nil,
                                biasInitializer: Initializer = .zeros, depthwiseRegularizer: Regularizer? = nil,
                                pointwiseRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(.separableConv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                                   dilationRate: dilationRate, depthMultiplier: depthMultiplier, activation: activation,
                                   useBias: useBias, depthwiseInitializer: depthwiseInitializer,
                                   pointwiseInitializer: pointwiseInitializer, biasInitializer: biasInitializer,
                                   depthwiseRegularizer: depthwiseRegularizer, pointwiseRegularizer: pointwiseRegularizer,
                                   biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable, name: name), x, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.SeparableConv2D`.
    public static func SeparableConv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       dilationRate: [Int] = [1, 1], depthMultiplier: Int = 1,
                                       activation: Activation = .linear, useBias: Bool = true,
                                       depthwiseInitializer: Initializer? = nil, pointwiseInitializer: Initializer? = nil,
                                       biasInitializer: Initializer = .zeros, depthwiseRegularizer: Regularizer? = nil,
                                       pointwiseRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.separableConv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                                     dilationRate: dilationRate, depthMultiplier: depthMultiplier, activation: activation,
                                     useBias: useBias, depthwiseInitializer: depthwiseInitializer,
                                     pointwiseInitializer: pointwiseInitializer, biasInitializer: biasInitializer,
                                     depthwiseRegularizer: depthwiseRegularizer, pointwiseRegularizer: pointwiseRegularizer,
                                     biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.SeparableConv2D`.
    public static func SeparableConv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       dilationRate: [Int] = [1, 1], depthMultiplier: Int = 1,
                                       activation: Activation = .linear, useBias: Bool = true,
                                       depthwiseInitializer: Initializer? = nil, pointwiseInitializer: Initializer? = nil,
                                       biasInitializer: Initializer = .zeros, depthwiseRegularizer: Regularizer? = nil,
                                       pointwiseRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.separableConv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                                    dilationRate: dilationRate, depthMultiplier: depthMultiplier, activation: activation,
                                    useBias: useBias, depthwiseInitializer: depthwiseInitializer,
                                    pointwiseInitializer: pointwiseInitializer, biasInitializer: biasInitializer,
                                    depthwiseRegularizer: depthwiseRegularizer, pointwiseRegularizer: pointwiseRegularizer,
                                    biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable), path: path)
    }

    /// `tf.keras.layers.DepthwiseConv2D` (`tf.compat.v1.layers` has none).
    public static func DepthwiseConv2D(kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                                       depthMultiplier: Int = 1, dilationRate: [Int] = [1, 1],
                                       activation: Activation = .linear, useBias: Bool = true,
                                       depthwiseInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                                       depthwiseRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                                       trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.depthwiseConv2d(kernelSize: kernelSize, strides: strides, padding: padding,
                                    depthMultiplier: depthMultiplier, dilationRate: dilationRate, activation: activation,
                                    useBias: useBias, depthwiseInitializer: depthwiseInitializer,
                                    biasInitializer: biasInitializer, depthwiseRegularizer: depthwiseRegularizer,
                                    biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer, trainable: trainable), path: path)
    }
}
