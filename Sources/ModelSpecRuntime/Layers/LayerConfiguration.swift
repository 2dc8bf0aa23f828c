/// The layers the runtime knows, with the snake-case base name TensorFlow
/// derives from the class (`Dense` → `dense`, the base of auto-names).
public enum LayerType: String, Hashable, Sendable, CaseIterable {
    case dense, conv2d, batchNormalization = "batch_normalization", flatten, dropout
    case maxPooling2d = "max_pooling2d", averagePooling2d = "average_pooling2d"

    public var baseName: String { rawValue }
}

/// A layer and its arguments, with TensorFlow's defaults. The same
/// configuration drives the functional compat layers (`tf.dense(...)`), the
/// compat layer objects (`v1.Conv2D`) and the Keras-native layers
/// (`keras.Dense`); only how the variables are named and kept differs.
public struct LayerConfiguration: Equatable, Sendable {
    public var type: LayerType
    /// The explicit `name` argument.
    public var name: String?
    public var units = 0
    public var filters = 0
    public var kernelSize = [1, 1]
    public var strides: [Int]?
    public var dilationRate = [1, 1]
    public var poolSize = [2, 2]
    public var padding: Padding = .valid
    public var activation: Activation = .linear
    public var useBias = true
    /// nil: `glorot_uniform`, the default of `get_variable` and of Keras layers.
    public var kernelInitializer: Initializer?
    public var biasInitializer: Initializer = .zeros
    public var kernelRegularizer: Regularizer?
    public var biasRegularizer: Regularizer?
    public var trainable = true
    /// Dropout.
    public var rate: Float = 0.5
    /// Batch normalization.
    public var axis = -1
    public var momentum: Float = 0.99
    public var epsilon: Float = 0.001
    public var center = true
    public var scale = true

    public init(_ type: LayerType) {
        self.type = type
    }

    public static func dense(units: Int, activation: Activation = .linear, useBias: Bool = true,
                             kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                             kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                             trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        var c = LayerConfiguration(.dense)
        c.units = units; c.activation = activation; c.useBias = useBias
        c.kernelInitializer = kernelInitializer; c.biasInitializer = biasInitializer
        c.kernelRegularizer = kernelRegularizer; c.biasRegularizer = biasRegularizer
        c.trainable = trainable; c.name = name
        return c
    }

    public static func conv2d(filters: Int, kernelSize: [Int], strides: [Int] = [1, 1], padding: Padding = .valid,
                              dilationRate: [Int] = [1, 1], activation: Activation = .linear, useBias: Bool = true,
                              kernelInitializer: Initializer? = nil, biasInitializer: Initializer = .zeros,
                              kernelRegularizer: Regularizer? = nil, biasRegularizer: Regularizer? = nil,
                              trainable: Bool = true, name: String? = nil) -> LayerConfiguration {
        var c = LayerConfiguration(.conv2d)
        c.filters = filters; c.kernelSize = pair(kernelSize); c.strides = pair(strides); c.padding = padding
        c.dilationRate = pair(dilationRate); c.activation = activation; c.useBias = useBias
        c.kernelInitializer = kernelInitializer; c.biasInitializer = biasInitializer
        c.kernelRegularizer = kernelRegularizer; c.biasRegularizer = biasRegularizer
        c.trainable = trainable; c.name = name
        return c
    }

    public static func batchNormalization(axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001,
                                          center: Bool = true, scale: Bool = true, trainable: Bool = true,
                                          name: String? = nil) -> LayerConfiguration {
        var c = LayerConfiguration(.batchNormalization)
        c.axis = axis; c.momentum = momentum; c.epsilon = epsilon; c.center = center; c.scale = scale
        c.trainable = trainable; c.name = name
        return c
    }

    public static func dropout(rate: Float = 0.5, name: String? = nil) -> LayerConfiguration {
        var c = LayerConfiguration(.dropout)
        c.rate = rate; c.name = name
        return c
    }

    public static func flatten(name: String? = nil) -> LayerConfiguration {
        var c = LayerConfiguration(.flatten)
        c.name = name
        return c
    }

    public static func maxPooling2d(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                                    name: String? = nil) -> LayerConfiguration {
        var c = LayerConfiguration(.maxPooling2d)
        c.poolSize = pair(poolSize); c.strides = strides.map(pair); c.padding = padding; c.name = name
        return c
    }

    public static func averagePooling2d(poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid,
                                        name: String? = nil) -> LayerConfiguration {
        var c = LayerConfiguration(.averagePooling2d)
        c.poolSize = pair(poolSize); c.strides = strides.map(pair); c.padding = padding; c.name = name
        return c
    }

    /// `3` means `(3, 3)`, as in TensorFlow.
    public static func pair(_ values: [Int]) -> [Int] {
        values.count == 1 ? [values[0], values[0]] : values
    }
}

/// What a layer asks of whoever keeps its variables: a variable by relative name.
public struct WeightRequest {
    public var name: String
    public var shape: [Int]
    /// nil: `get_variable`'s default, the enclosing variable scope's initializer if it
    /// has one (a `tf.compat.v1.layers` kernel without `kernel_initializer`), else glorot uniform.
    public var initializer: Initializer?
    public var regularizer: Regularizer?
    public var trainable: Bool
}

extension LayerConfiguration {
    /// Runs the layer on `x`, asking `weight` for each variable in TensorFlow's
    /// creation order (kernel, bias; gamma, beta, moving_mean, moving_variance).
    /// Weights are read through the context (substitutions); batch normalization in
    /// training updates the moving statistics of variables that are not substituted.
    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        switch type {
        case .dense:
            guard let inputSize = x.shape.last else {
                throw TensorError(op: "dense", shapes: [x.shape], reason: "needs an input of rank 1 or more")
            }
            let kernel = try weight(WeightRequest(name: "kernel", shape: [inputSize, units],
                                                  initializer: kernelInitializer,
                                                  regularizer: kernelRegularizer, trainable: trainable))
            let bias = try useBias ? weight(WeightRequest(name: "bias", shape: [units], initializer: biasInitializer,
                                                          regularizer: biasRegularizer, trainable: trainable)) : nil
            return try ModelSpecRuntime.dense(x, kernel: context.value(of: kernel),
                                              bias: bias.map { try context.value(of: $0) }, activation: activation)
        case .conv2d:
            guard x.rank == 4 else {
                throw TensorError(op: "conv2d", shapes: [x.shape], reason: "is not NHWC (rank 4)")
            }
            let (kernel, bias) = try convolutionWeights(inputChannels: x.shape[3], weight: weight)
            let s = strides ?? [1, 1]
            return try ModelSpecRuntime.conv2d(x, filter: context.value(of: kernel), strides: (s[0], s[1]),
                                               padding: padding, dilations: (dilationRate[0], dilationRate[1]),
                                               bias: bias.map { try context.value(of: $0) }, activation: activation)
        case .maxPooling2d, .averagePooling2d:
            let s = strides ?? poolSize
            return type == .maxPooling2d
                ? try maxPool2d(x, windowSize: (poolSize[0], poolSize[1]), strides: (s[0], s[1]), padding: padding)
                : try avgPool2d(x, windowSize: (poolSize[0], poolSize[1]), strides: (s[0], s[1]), padding: padding)
        case .flatten:
            return try ModelSpecRuntime.flatten(x)
        case .dropout:
            guard training, rate > 0 else { return x }
            return try ModelSpecRuntime.dropout(x, rate: rate, generator: &context.generator)
        case .batchNormalization:
            return try batchNormalization(x, training: training, context: context, weight: weight)
        }
    }

    /// A convolution's variables, in creation order: kernel `[kh, kw, in, filters]`, then bias.
    func convolutionWeights(inputChannels: Int, weight: (WeightRequest) throws -> Variable) throws
        -> (kernel: Variable, bias: Variable?) {
        let kernel = try weight(WeightRequest(name: "kernel", shape: [kernelSize[0], kernelSize[1], inputChannels, filters],
                                              initializer: kernelInitializer,
                                              regularizer: kernelRegularizer, trainable: trainable))
        let bias = try useBias ? weight(WeightRequest(name: "bias", shape: [filters], initializer: biasInitializer,
                                                      regularizer: biasRegularizer, trainable: trainable)) : nil
        return (kernel, bias)
    }

    /// A batch normalization's variables, in creation order: gamma, beta, moving mean, moving variance.
    func normalizationWeights(channels: Int, weight: (WeightRequest) throws -> Variable) throws
        -> (gamma: Variable?, beta: Variable?, movingMean: Variable, movingVariance: Variable) {
        let gamma = try scale ? weight(WeightRequest(name: "gamma", shape: [channels], initializer: .ones,
                                                     regularizer: nil, trainable: trainable)) : nil
        let beta = try center ? weight(WeightRequest(name: "beta", shape: [channels], initializer: .zeros,
                                                     regularizer: nil, trainable: trainable)) : nil
        let movingMean = try weight(WeightRequest(name: "moving_mean", shape: [channels], initializer: .zeros,
                                                  regularizer: nil, trainable: false))
        let movingVariance = try weight(WeightRequest(name: "moving_variance", shape: [channels], initializer: .ones,
                                                      regularizer: nil, trainable: false))
        return (gamma, beta, movingMean, movingVariance)
    }

    private func batchNormalization(_ x: Tensor, training: Bool, context: CallContext,
                                    weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let rank = x.rank
        let axis = self.axis < 0 ? self.axis + rank : self.axis
        guard axis >= 0, axis < rank else {
            throw TensorError(op: "batch_normalization", shapes: [x.shape], reason: "has no axis \(self.axis)")
        }
        let channels = x.shape[axis]
        let (gamma, beta, movingMean, movingVariance) = try normalizationWeights(channels: channels, weight: weight)
        // Statistics broadcast along `axis`.
        var statShape = [Int](repeating: 1, count: rank)
        statShape[axis] = channels
        func shaped(_ t: Tensor) throws -> Tensor { axis == rank - 1 ? t : try reshape(t, statShape) }
        let offset = try beta.map { try shaped(context.value(of: $0)) }
        let scaleValue = try gamma.map { try shaped(context.value(of: $0)) }
        guard training else {
            return try ModelSpecRuntime.batchNormalization(
                x, mean: shaped(context.value(of: movingMean)), variance: shaped(context.value(of: movingVariance)),
                offset: offset, scale: scaleValue, epsilon: epsilon)
        }
        let reduced = (0..<rank).filter { $0 != axis }
        let (mean, variance) = try moments(x, axes: reduced)
        let output = try ModelSpecRuntime.batchNormalization(
            x, mean: shaped(mean), variance: shaped(variance), offset: offset, scale: scaleValue, epsilon: epsilon)
        // Keras uses the fused kernel for rank-4 (and rank-5) inputs normalized along
        // the channel axis; it updates the moving variance with the unbiased (n/(n-1))
        // batch variance, the other path with the biased one.
        let fused = (rank == 4 && (axis == 1 || axis == 3)) || (rank == 5 && (axis == 1 || axis == 4))
        let count = channels == 0 ? 0 : x.scalarCount / channels
        let update = fused && count > 1 ? variance * Float(Double(count) / Double(count - 1)) : variance
        let decay = 1 - momentum
        if !context.isSubstituted(movingMean) {
            try movingMean.assignSub((movingMean.value - mean) * decay)
        }
        if !context.isSubstituted(movingVariance) {
            try movingVariance.assignSub((movingVariance.value - update) * decay)
        }
        return output
    }
}
