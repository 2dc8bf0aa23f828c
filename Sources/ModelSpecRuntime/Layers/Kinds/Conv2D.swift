import TFNaming

/// `Conv2D` (NHWC): `kernel` [kh, kw, in, filters], `bias` [filters].
public struct Conv2DKernel: LayerKernel {
    public var filters: Int
    public var kernelSize: [Int]
    public var strides: [Int]
    public var padding: Padding
    public var dilationRate: [Int]
    public var weights: WeightArguments

    public init(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                dilationRate: [Int] = [1, 1], weights: WeightArguments = WeightArguments()) {
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.padding = padding
        self.dilationRate = dilationRate
        self.weights = weights
    }

    public var baseName: String { "conv2d" }
    public var makesVariables: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard x.rank == 4 else {
            throw TensorError(op: "conv2d", shapes: [x.shape], reason: "is not NHWC (rank 4)")
        }
        let (kernel, bias) = try variables(inputChannels: x.shape[3], weight: weight)
        return try ModelSpecRuntime.conv2d(x, filter: context.value(of: kernel), strides: (strides[0], strides[1]),
                                           padding: padding, dilations: (dilationRate[0], dilationRate[1]),
                                           bias: bias.map { try context.value(of: $0) }, activation: weights.activation)
    }

    /// The variables, in creation order: kernel `[kh, kw, in, filters]`, then bias.
    func variables(inputChannels: Int, weight: (WeightRequest) throws -> Variable) throws -> (kernel: Variable, bias: Variable?) {
        try weights.kernelAndBias([kernelSize[0], kernelSize[1], inputChannels, filters], bias: filters, weight: weight)
    }
}

extension LayerConfiguration {
    public static func conv2d(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(Conv2DKernel(
            filters: filters, kernelSize: pair(kernelSize), strides: pair(strides), padding: padding,
            dilationRate: pair(dilationRate), weights: WeightArguments(
                activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer)),
            name: name, trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.conv2d` (NHWC).
    public func conv2d(_ x: Tensor, filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                       dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                       kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                       kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                       trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                          dilationRate: dilationRate, activation: activation, useBias: useBias,
                          kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                          kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                          trainable: trainable, name: name), x, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.Conv2D`.
    public static func Conv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                            dilationRate: dilationRate, activation: activation, useBias: useBias,
                            kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                            kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                            trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.Conv2D`.
    public static func Conv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                              trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                           dilationRate: dilationRate, activation: activation, useBias: useBias,
                           kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                           kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer,
                           trainable: trainable), path: path)
    }
}
