import TFNaming

/// TF-Slim's `conv2d`, `fully_connected`, `separable_conv2d` and `conv2d_transpose`
/// (tf-slim 1.1.0): `weights` (a separable convolution's `depthwise_weights` and, unless
/// depthwise only, `pointwise_weights`), then `biases` unless a normalizer replaces them
/// (or `biases_initializer=None`), then the normalizer's variables under `BatchNorm/`;
/// the activation (ReLU by default) comes after the normalizer.
public struct SlimLayerKernel: LayerKernel {
    public enum Operation: Sendable, Equatable {
        /// `slim.conv2d` (NHWC): `weights` [kh, kw, in, num_outputs].
        case conv2d(kernelSize: [Int], stride: [Int], padding: Padding, rate: [Int])
        /// `slim.fully_connected`, on the last dimension: `weights` [in, num_outputs].
        case fullyConnected
        /// `slim.separable_conv2d` (NHWC): `depthwise_weights` [kh, kw, in, depth_multiplier], then
        /// `pointwise_weights` [1, 1, in·depth_multiplier, num_outputs] unless `numOutputs` is nil
        /// (the depthwise-only form, whose outputs are the in·depth_multiplier depthwise channels).
        case separableConv2d(kernelSize: [Int], depthMultiplier: Int, stride: [Int], padding: Padding, rate: [Int])
        /// `slim.conv2d_transpose` (NHWC): `weights` [kh, kw, num_outputs, in].
        case conv2dTranspose(kernelSize: [Int], stride: [Int], padding: Padding)
    }

    public var operation: Operation
    /// Nil only for the depthwise-only `separable_conv2d`.
    public var numOutputs: Int?
    public var activation: Activation
    public var weightsInitializer: Initializer?
    public var weightsRegularizer: Regularizer?
    public var biasesInitializer: Initializer
    public var biasesRegularizer: Regularizer?
    /// False for `biases_initializer=None`.
    public var biases: Bool
    /// `normalizer_fn=slim.batch_norm` with its `normalizer_params`.
    public var normalizer: SlimBatchNormKernel?
    /// A separable convolution's `pointwise_initializer` (nil: its weights initializer).
    public var pointwiseInitializer: Initializer?

    public init(_ operation: Operation, numOutputs: Int?, activation: Activation = .relu, weightsInitializer: Initializer? = nil,
                weightsRegularizer: Regularizer? = nil, biasesInitializer: Initializer = .zeros,
                biasesRegularizer: Regularizer? = nil, biases: Bool = true, normalizer: SlimBatchNormKernel? = nil,
                pointwiseInitializer: Initializer? = nil) {
        self.pointwiseInitializer = pointwiseInitializer
        self.operation = operation
        self.numOutputs = numOutputs
        self.activation = activation
        self.weightsInitializer = weightsInitializer
        self.weightsRegularizer = weightsRegularizer
        self.biasesInitializer = biasesInitializer
        self.biasesRegularizer = biasesRegularizer
        self.biases = biases
        self.normalizer = normalizer
    }

    public var baseName: String {
        switch operation {
        case .conv2d: "Conv"
        case .fullyConnected: "fully_connected"
        case .separableConv2d: "SeparableConv2d"
        case .conv2dTranspose: "Conv2d_transpose"
        }
    }
    public var makesVariables: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        // Slim passes xavier_initializer() itself: a scope's initializer never reaches its weights.
        let initializer = weightsInitializer ?? .glorotUniform()
        func makeWeights(_ name: String, _ shape: [Int], _ initializer: Initializer) throws -> Tensor {
            try context.value(of: weight(WeightRequest(name: name, shape: shape, initializer: initializer, regularizer: weightsRegularizer)))
        }
        func makeBiases(_ channels: Int) throws -> Tensor? {
            guard normalizer == nil, biases else { return nil }
            return try context.value(of: weight(WeightRequest(name: "biases", shape: [channels], initializer: biasesInitializer,
                                                              regularizer: biasesRegularizer)))
        }
        // Without a normalizer the activation is fused into the layer's kernel.
        let fused = normalizer == nil ? activation : .linear
        var y: Tensor
        switch operation {
        case let .conv2d(kernelSize, stride, padding, rate):
            let channels = try inputChannels(x, "slim.conv2d")
            let weights = try makeWeights("weights", kernelSize + [channels, numOutputs ?? 0], initializer)
            y = try ModelSpecRuntime.conv2d(x, filter: weights, strides: (stride[0], stride[1]), padding: padding,
                                            dilations: (rate[0], rate[1]), bias: makeBiases(numOutputs ?? 0), activation: fused)
        case .fullyConnected:
            guard x.rank >= 2 else { throw TensorError(op: "slim.fully_connected", shapes: [x.shape], reason: "needs an input of rank 2 or more") }
            let weights = try makeWeights("weights", [x.shape[x.rank - 1], numOutputs ?? 0], initializer)
            y = try ModelSpecRuntime.dense(x, kernel: weights, bias: makeBiases(numOutputs ?? 0), activation: fused)
        case let .separableConv2d(kernelSize, depthMultiplier, stride, padding, rate):
            let channels = try inputChannels(x, "slim.separable_conv2d")
            let depthwise = try makeWeights("depthwise_weights", kernelSize + [channels, depthMultiplier], initializer)
            guard let numOutputs else {
                y = try depthwiseConv2d(x, filter: depthwise, strides: (stride[0], stride[1]), padding: padding,
                                        dilations: (rate[0], rate[1]), bias: makeBiases(channels * depthMultiplier), activation: fused)
                break
            }
            // Slim's pointwise_initializer defaults to its weights_initializer.
            let pointwise = try makeWeights("pointwise_weights", [1, 1, channels * depthMultiplier, numOutputs],
                                            pointwiseInitializer ?? initializer)
            let spread = try depthwiseConv2d(x, filter: depthwise, strides: (stride[0], stride[1]), padding: padding,
                                             dilations: (rate[0], rate[1]))
            y = try ModelSpecRuntime.conv2d(spread, filter: pointwise, bias: makeBiases(numOutputs), activation: fused)
        case let .conv2dTranspose(kernelSize, stride, padding):
            let channels = try inputChannels(x, "slim.conv2d_transpose")
            let weights = try makeWeights("weights", kernelSize + [numOutputs ?? 0, channels], initializer)
            y = try ModelSpecRuntime.conv2dTranspose(x, filter: weights, strides: (stride[0], stride[1]), padding: padding,
                                                     bias: makeBiases(numOutputs ?? 0), activation: fused)
        }
        guard let normalizer else { return y }
        y = try normalizer.normalize(y, training: training, context: context) { request in
            var request = request
            request.name = "BatchNorm/" + request.name
            return try weight(request)
        }
        return activate(y, activation)
    }

    /// The channels of an NHWC input.
    private func inputChannels(_ x: Tensor, _ op: String) throws -> Int {
        guard x.rank == 4 else { throw TensorError(op: op, shapes: [x.shape], reason: "is not NHWC (rank 4)") }
        return x.shape[3]
    }
}

/// TF-Slim's `batch_norm`: `beta` (if center), `gamma` (if scale; Slim's default is
/// false), `moving_mean`, `moving_variance`, decay 0.999, epsilon 0.001, no activation.
/// `SlimBatchNormPath` (from the rank, `fused` and `updates_collections`) says whether
/// `gamma` comes first (the core layer); with `fused` (Slim's default) rank 2 and 4 update
/// the moving variance with the unbiased batch variance, otherwise with the biased one.
public struct SlimBatchNormKernel: LayerKernel {
    public var decay: Float
    public var epsilon: Float
    public var center: Bool
    public var scale: Bool
    public var activation: Activation
    /// `updates_collections` is `UPDATE_OPS` (Slim's default), not `None`.
    public var updateOps: Bool
    /// `fused` is `None` (Slim's default) or `True`.
    public var fused: Bool

    public init(decay: Float = 0.999, epsilon: Float = 0.001, center: Bool = true, scale: Bool = false,
                activation: Activation = .linear, updateOps: Bool = true, fused: Bool = true) {
        self.decay = decay
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.activation = activation
        self.updateOps = updateOps
        self.fused = fused
    }

    /// A layer's `normalizer_fn=slim.batch_norm` with its `normalizer_params`, when `batchNorm`.
    public static func normalizer(_ batchNorm: Bool, decay: Float, epsilon: Float, center: Bool, scale: Bool,
                                  updateOps: Bool = true, fused: Bool = true) -> SlimBatchNormKernel? {
        batchNorm ? SlimBatchNormKernel(decay: decay, epsilon: epsilon, center: center, scale: scale,
                                        updateOps: updateOps, fused: fused) : nil
    }

    public var baseName: String { "BatchNorm" }
    public var makesVariables: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        activate(try normalize(x, training: training, context: context, weight: weight), activation)
    }

    /// The normalization without the activation (as a layer's `normalizer_fn`).
    func normalize(_ x: Tensor, training: Bool, context: CallContext, weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        guard x.rank >= 2, let channels = x.shape.last else {
            throw TensorError(op: "slim.batch_norm", shapes: [x.shape], reason: "needs an input of rank 2 or more")
        }
        let rank2 = x.rank == 2
        let gammaFirst = SlimBatchNormPath(rank: x.rank, fused: fused, updateOps: updateOps).gammaFirst
        var made: [String: Variable] = [:]
        func make(_ name: String, _ initializer: Initializer, trainable: Bool = true) throws {
            made[name] = try weight(WeightRequest(name: name, shape: [channels], initializer: initializer, trainable: trainable))
        }
        if scale, gammaFirst { try make("gamma", .ones) }
        if center { try make("beta", .zeros) }
        if scale, !gammaFirst { try make("gamma", .ones) }
        try make("moving_mean", .zeros, trainable: false)
        try make("moving_variance", .ones, trainable: false)
        // A rank-2 input as `[n, 1, 1, c]`; `fused: false` moves the variance by the biased batch variance.
        let core = BatchNormalizationKernel(axis: -1, momentum: decay, epsilon: epsilon, center: center, scale: scale,
                                            fused: fused ? nil : false)
        let input = rank2 ? try reshape(x, [x.shape[0], 1, 1, channels]) : x
        let output = try core.apply(input, training: training, context: context) { request in
            guard let variable = made[request.name] else {
                throw TensorError(op: "slim.batch_norm", shapes: [x.shape], reason: "has no variable \(request.name)")
            }
            return variable
        }
        return rank2 ? try reshape(output, x.shape) : output
    }
}

/// TF-Slim's `layer_norm`: the moments over the axes from `beginNormAxis` (all but the
/// batch by default), epsilon 1e-12, then `beta` and `gamma` of the input's shape from
/// `beginParamsAxis` (the last axis by default), made in that order.
public struct SlimLayerNormKernel: LayerKernel {
    public var center: Bool
    public var scale: Bool
    public var activation: Activation
    public var beginNormAxis: Int
    public var beginParamsAxis: Int

    public init(center: Bool = true, scale: Bool = true, activation: Activation = .linear, beginNormAxis: Int = 1,
                beginParamsAxis: Int = -1) {
        self.center = center
        self.scale = scale
        self.activation = activation
        self.beginNormAxis = beginNormAxis
        self.beginParamsAxis = beginParamsAxis
    }

    public var baseName: String { "LayerNorm" }
    public var makesVariables: Bool { true }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let rank = x.rank
        let normStart = beginNormAxis < 0 ? beginNormAxis + rank : beginNormAxis
        let paramsStart = beginParamsAxis < 0 ? beginParamsAxis + rank : beginParamsAxis
        guard (0..<rank).contains(normStart), (0..<rank).contains(paramsStart) else {
            throw TensorError(op: "slim.layer_norm", shapes: [x.shape],
                              reason: "needs begin_norm_axis (\(beginNormAxis)) and begin_params_axis (\(beginParamsAxis)) below its rank")
        }
        let parameters = Array(x.shape[paramsStart...])
        let beta = try center ? weight(WeightRequest(name: "beta", shape: parameters, initializer: .zeros)) : nil
        let gamma = try scale ? weight(WeightRequest(name: "gamma", shape: parameters, initializer: .ones)) : nil
        let (mean, variance) = try moments(x, axes: Array(normStart..<rank), keepDims: true)
        let normalized = try ModelSpecRuntime.batchNormalization(x, mean: mean, variance: variance,
                                                                 offset: beta.map { try context.value(of: $0) },
                                                                 scale: gamma.map { try context.value(of: $0) }, epsilon: 1e-12)
        return activate(normalized, activation)
    }
}

/// TF-Slim's layers inside a shim call, as generated code calls them: `tf.slim.conv2d(x, ...)`.
/// `name` is Slim's `scope`; `training` its `is_training` (the generator always passes it,
/// Slim's default being true).
public struct Slim {
    let tf: TF1

    /// `tf_slim.conv2d`.
    public func conv2d(_ x: Tensor, numOutputs: Int, kernelSize: [Int], stride: [Int] = [1, 1], padding: Padding = .same,
                       rate: [Int] = [1, 1], activation: Activation = .relu, weightsInitializer: Initializer? = nil,
                       weightsRegularizer: Regularizer? = nil, biasesInitializer: Initializer = .zeros,
                       biasesRegularizer: Regularizer? = nil, biases: Bool = true, batchNorm: Bool = false,
                       batchNormScale: Bool = false, batchNormCenter: Bool = false, batchNormDecay: Float = 0.999,
                       batchNormEpsilon: Float = 0.001, batchNormUpdateOps: Bool = true,
                       batchNormFused: Bool = true, training: Bool = false, trainable: Bool = true, name: String? = nil,
                       reuse: Reuse = .inherit) throws -> Tensor {
        let kernel = SlimLayerKernel(.conv2d(kernelSize: LayerConfiguration.pair(kernelSize), stride: LayerConfiguration.pair(stride),
                                             padding: padding, rate: LayerConfiguration.pair(rate)),
                                     numOutputs: numOutputs, activation: activation, weightsInitializer: weightsInitializer,
                                     weightsRegularizer: weightsRegularizer, biasesInitializer: biasesInitializer,
                                     biasesRegularizer: biasesRegularizer, biases: biases)
        return try call(kernel, x, batchNorm: batchNorm, batchNormScale: batchNormScale, batchNormCenter: batchNormCenter,
                        batchNormDecay: batchNormDecay, batchNormEpsilon: batchNormEpsilon,
                        batchNormUpdateOps: batchNormUpdateOps, batchNormFused: batchNormFused, training: training,
                        trainable: trainable, name: name, reuse: reuse)
    }

    /// `tf_slim.fully_connected`.
    public func fullyConnected(_ x: Tensor, numOutputs: Int, activation: Activation = .relu, weightsInitializer: Initializer? = nil,
                               weightsRegularizer: Regularizer? = nil, biasesInitializer: Initializer = .zeros,
                               biasesRegularizer: Regularizer? = nil, biases: Bool = true, batchNorm: Bool = false,
                               batchNormScale: Bool = false, batchNormCenter: Bool = false, batchNormDecay: Float = 0.999,
                               batchNormEpsilon: Float = 0.001, batchNormUpdateOps: Bool = true,
                               batchNormFused: Bool = true, training: Bool = false, trainable: Bool = true,
                               name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        let kernel = SlimLayerKernel(.fullyConnected, numOutputs: numOutputs, activation: activation,
                                     weightsInitializer: weightsInitializer, weightsRegularizer: weightsRegularizer,
                                     biasesInitializer: biasesInitializer, biasesRegularizer: biasesRegularizer,
                                     biases: biases)
        return try call(kernel, x, batchNorm: batchNorm, batchNormScale: batchNormScale, batchNormCenter: batchNormCenter,
                        batchNormDecay: batchNormDecay, batchNormEpsilon: batchNormEpsilon,
                        batchNormUpdateOps: batchNormUpdateOps, batchNormFused: batchNormFused, training: training,
                        trainable: trainable, name: name, reuse: reuse)
    }

    /// `tf_slim.batch_norm`.
    public func batchNorm(_ x: Tensor, batchNormDecay: Float = 0.999, batchNormEpsilon: Float = 0.001,
                          batchNormUpdateOps: Bool = true, batchNormFused: Bool = true, activation: Activation = .linear, scale: Bool = false, center: Bool = true, normalizes: Bool = true,
                          training: Bool = false, trainable: Bool = true, name: String? = nil,
                          reuse: Reuse = .inherit) throws -> Tensor {
        let kernel = SlimBatchNormKernel(decay: batchNormDecay, epsilon: batchNormEpsilon, center: center, scale: scale,
                                         activation: activation, updateOps: batchNormUpdateOps, fused: batchNormFused)
        return try tf.layer(LayerConfiguration(kernel, name: name, trainable: trainable), x, training: training, reuse: reuse,
                            namedByKeras: false)
    }
}

extension Slim {
    /// `tf_slim.separable_conv2d`; without `numOutputs` (or with `pointwise: false`: Slim's
    /// `num_outputs=None`), the depthwise-only form.
    public func separableConv2d(_ x: Tensor, numOutputs: Int? = nil, kernelSize: [Int], depthMultiplier: Int = 1,
                                stride: [Int] = [1, 1], padding: Padding = .same, rate: [Int] = [1, 1], pointwise: Bool = true,
                                activation: Activation = .relu, weightsInitializer: Initializer? = nil,
                                pointwiseInitializer: Initializer? = nil, weightsRegularizer: Regularizer? = nil,
                                biasesInitializer: Initializer = .zeros, biasesRegularizer: Regularizer? = nil, biases: Bool = true,
                                batchNorm: Bool = false, batchNormScale: Bool = false, batchNormCenter: Bool = false,
                                batchNormDecay: Float = 0.999, batchNormEpsilon: Float = 0.001, batchNormUpdateOps: Bool = true,
                                batchNormFused: Bool = true, training: Bool = false,
                                trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        let operation = SlimLayerKernel.Operation.separableConv2d(
            kernelSize: LayerConfiguration.pair(kernelSize), depthMultiplier: depthMultiplier,
            stride: LayerConfiguration.pair(stride), padding: padding, rate: LayerConfiguration.pair(rate))
        let kernel = SlimLayerKernel(operation, numOutputs: pointwise ? numOutputs : nil, activation: activation,
                                     weightsInitializer: weightsInitializer, weightsRegularizer: weightsRegularizer,
                                     biasesInitializer: biasesInitializer, biasesRegularizer: biasesRegularizer, biases: biases,
                                     pointwiseInitializer: pointwiseInitializer)
        return try call(kernel, x, batchNorm: batchNorm, batchNormScale: batchNormScale, batchNormCenter: batchNormCenter,
                        batchNormDecay: batchNormDecay, batchNormEpsilon: batchNormEpsilon,
                        batchNormUpdateOps: batchNormUpdateOps, batchNormFused: batchNormFused, training: training,
                        trainable: trainable, name: name, reuse: reuse)
    }

    /// `tf_slim.conv2d_transpose`.
    public func conv2dTranspose(_ x: Tensor, numOutputs: Int, kernelSize: [Int], stride: [Int] = [1, 1], padding: Padding = .same,
                                activation: Activation = .relu, weightsInitializer: Initializer? = nil,
                                weightsRegularizer: Regularizer? = nil, biasesInitializer: Initializer = .zeros,
                                biasesRegularizer: Regularizer? = nil, biases: Bool = true, batchNorm: Bool = false,
                                batchNormScale: Bool = false, batchNormCenter: Bool = false, batchNormDecay: Float = 0.999,
                                batchNormEpsilon: Float = 0.001, batchNormUpdateOps: Bool = true,
                                batchNormFused: Bool = true, training: Bool = false, trainable: Bool = true,
                                name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        let operation = SlimLayerKernel.Operation.conv2dTranspose(kernelSize: LayerConfiguration.pair(kernelSize),
                                                                  stride: LayerConfiguration.pair(stride), padding: padding)
        let kernel = SlimLayerKernel(operation, numOutputs: numOutputs, activation: activation, weightsInitializer: weightsInitializer,
                                     weightsRegularizer: weightsRegularizer, biasesInitializer: biasesInitializer,
                                     biasesRegularizer: biasesRegularizer, biases: biases)
        return try call(kernel, x, batchNorm: batchNorm, batchNormScale: batchNormScale, batchNormCenter: batchNormCenter,
                        batchNormDecay: batchNormDecay, batchNormEpsilon: batchNormEpsilon,
                        batchNormUpdateOps: batchNormUpdateOps, batchNormFused: batchNormFused, training: training,
                        trainable: trainable, name: name, reuse: reuse)
    }

    /// A layer with weights, with `normalizer_fn=slim.batch_norm` and its `normalizer_params` when `batchNorm`.
    private func call(_ kernel: SlimLayerKernel, _ x: Tensor, batchNorm: Bool, batchNormScale: Bool, batchNormCenter: Bool,
                      batchNormDecay: Float, batchNormEpsilon: Float, batchNormUpdateOps: Bool, batchNormFused: Bool,
                      training: Bool, trainable: Bool, name: String?,
                      reuse: Reuse) throws -> Tensor {
        var kernel = kernel
        kernel.normalizer = SlimBatchNormKernel.normalizer(batchNorm, decay: batchNormDecay, epsilon: batchNormEpsilon,
                                                           center: batchNormCenter, scale: batchNormScale,
                                                           updateOps: batchNormUpdateOps, fused: batchNormFused)
        return try tf.layer(LayerConfiguration(kernel, name: name, trainable: trainable), x, training: training, reuse: reuse,
                            namedByKeras: false)
    }

    /// `tf_slim.layer_norm`.
    public func layerNorm(_ x: Tensor, center: Bool = true, scale: Bool = true, activation: Activation = .linear,
                          beginNormAxis: Int = 1, beginParamsAxis: Int = -1, trainable: Bool = true, name: String? = nil,
                          reuse: Reuse = .inherit) throws -> Tensor {
        let kernel = SlimLayerNormKernel(center: center, scale: scale, activation: activation, beginNormAxis: beginNormAxis,
                                         beginParamsAxis: beginParamsAxis)
        return try tf.layer(LayerConfiguration(kernel, name: name, trainable: trainable), x, reuse: reuse, namedByKeras: false)
    }
}

extension TF1 {
    /// TF-Slim's layers: `tf.slim.conv2d(x, numOutputs: 64, kernelSize: [3, 3], name: "conv1")`.
    public var slim: Slim { Slim(tf: self) }
}
