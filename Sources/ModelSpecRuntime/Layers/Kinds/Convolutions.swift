import TFNaming

/// `Conv1D`, `Conv2D`, `Conv3D` (channels last): `kernel` [window..., in, filters], `bias` [filters].
public struct ConvolutionKernel: LayerKernel {
    /// The spatial axes: 1, 2 or 3.
    public var rank: Int
    public var filters: Int
    public var kernelSize: [Int]
    public var strides: [Int]
    public var padding: Padding
    public var dilationRate: [Int]
    public var weights: WeightArguments

    /// Sizes given once stand for every spatial axis.
    public init(rank: Int, filters: Int, kernelSize: [Int], strides: [Int] = [1], padding: Padding = .valid,
                dilationRate: [Int] = [1], weights: WeightArguments = WeightArguments()) {
        self.rank = rank
        self.filters = filters
        self.kernelSize = LayerConfiguration.spatial(kernelSize, rank: rank)
        self.strides = LayerConfiguration.spatial(strides, rank: rank)
        self.padding = padding
        self.dilationRate = LayerConfiguration.spatial(dilationRate, rank: rank)
        self.weights = weights
    }

    public var baseName: String { "conv\(rank)d" }
    public var makesVariables: Bool { true }
    public var activityRegularizer: Regularizer? { weights.activityRegularizer }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard x.rank == rank + 2 else {
            throw TensorError(op: baseName, shapes: [x.shape], reason: "is not channels-last of rank \(rank + 2)")
        }
        let (kernel, bias) = try variables(inputChannels: x.shape[rank + 1], weight: weight)
        let filter = try context.value(of: kernel)
        let biasValue = try bias.map { try context.value(of: $0) }
        switch rank {
        case 1:
            return try conv1d(x, filter: filter, stride: strides[0], padding: padding, dilation: dilationRate[0],
                              bias: biasValue, activation: weights.activation)
        case 2:
            return try conv2d(x, filter: filter, strides: (strides[0], strides[1]), padding: padding,
                              dilations: (dilationRate[0], dilationRate[1]), bias: biasValue, activation: weights.activation)
        default:
            return try conv3d(x, filter: filter, strides: strides, padding: padding, dilations: dilationRate,
                              bias: biasValue, activation: weights.activation)
        }
    }

    /// The variables, in creation order: kernel `[window..., in, filters]`, then bias.
    func variables(inputChannels: Int, weight: (WeightRequest) throws -> Variable) throws -> (kernel: Variable, bias: Variable?) {
        try weights.kernelAndBias(kernelSize + [inputChannels, filters], bias: filters, weight: weight)
    }
}

extension LayerConfiguration {
    public static func conv2d(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(ConvolutionKernel(
            rank: 2, filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
            dilationRate: dilationRate, weights: WeightArguments(
                activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)),
            name: name, trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.conv2d` (NHWC).
    public func conv2d(_ x: Tensor, filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                       dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                       kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                       kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                       trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                          dilationRate: dilationRate, activation: activation, useBias: useBias,
                          kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                          kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                          trainable: trainable, name: name), x, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.Conv2D`.
    public static func Conv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                            dilationRate: dilationRate, activation: activation, useBias: useBias,
                            kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                            kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                            trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.Conv2D`.
    public static func Conv2D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.conv2d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                           dilationRate: dilationRate, activation: activation, useBias: useBias,
                           kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                           kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                           trainable: trainable), path: path)
    }
}

extension LayerConfiguration {
    public static func conv1d(filters: Int, kernelSize: [Int], strides: [Int] = [1], padding: Padding = .valid,
                              dilationRate: [Int] = [1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(ConvolutionKernel(
            rank: 1, filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
            dilationRate: dilationRate, weights: WeightArguments(
                activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)),
            name: name, trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.conv1d` (NWC).
    public func conv1d(_ x: Tensor, filters: Int, kernelSize: [Int], strides: [Int] = [1], padding: Padding = .valid,
                       dilationRate: [Int] = [1], activation: Activation = .linear, useBias: Bool = true,
                       kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                       kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                       trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(.conv1d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                          dilationRate: dilationRate, activation: activation, useBias: useBias,
                          kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                          kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                          trainable: trainable, name: name), x, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.Conv1D`.
    public static func Conv1D(filters: Int, kernelSize: [Int], strides: [Int] = [1], padding: Padding = .valid,
                              dilationRate: [Int] = [1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.conv1d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                            dilationRate: dilationRate, activation: activation, useBias: useBias,
                            kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                            kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                            trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.Conv1D`.
    public static func Conv1D(filters: Int, kernelSize: [Int], strides: [Int] = [1], padding: Padding = .valid,
                              dilationRate: [Int] = [1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.conv1d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                           dilationRate: dilationRate, activation: activation, useBias: useBias,
                           kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                           kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                           trainable: trainable), path: path)
    }
}

extension LayerConfiguration {
    public static func conv3d(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(ConvolutionKernel(
            rank: 3, filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
            dilationRate: dilationRate, weights: WeightArguments(
                activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
                biasInitializer: biasInitializer, kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer)),
            name: name, trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.conv3d` (NDHWC).
    public func conv3d(_ x: Tensor, filters: Int, kernelSize: [Int], strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                       dilationRate: [Int] = [1, 1, 1], activation: Activation = .linear, useBias: Bool = true,
                       kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                       kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                       trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(.conv3d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                          dilationRate: dilationRate, activation: activation, useBias: useBias,
                          kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                          kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                          trainable: trainable, name: name), x, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.Conv3D`.
    public static func Conv3D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> CompatLayer {
        CompatLayer(.conv3d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                            dilationRate: dilationRate, activation: activation, useBias: useBias,
                            kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                            kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                            trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.Conv3D`.
    public static func Conv3D(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil, activityRegularizer: Regularizer? = nil,
                              trainable: Bool = true, path: String) -> KerasLayer {
        KerasLayer(.conv3d(filters: filters, kernelSize: kernelSize, strides: strides, padding: padding,
                           dilationRate: dilationRate, activation: activation, useBias: useBias,
                           kernelInitializer: kernelInitializer, biasInitializer: biasInitializer,
                           kernelRegularizer: kernelRegularizer, biasRegularizer: biasRegularizer, activityRegularizer: activityRegularizer,
                           trainable: trainable), path: path)
    }
}
