import TFNaming

/// `BatchNormalization`: `gamma` (if scale), `beta` (if center), `moving_mean`,
/// `moving_variance` (never trainable), each of the normalized axis's size.
/// In training it normalizes by the batch's moments and moves the moving
/// statistics of variables that are not substituted.
public struct BatchNormalizationKernel: LayerKernel {
    public var axis = -1
    public var momentum: Float = 0.99
    public var epsilon: Float = 0.001
    public var center = true
    public var scale = true
    /// TensorFlow's fused kernel, which moves the moving variance by the unbiased (n/(n−1))
    /// batch variance; the other path moves it by the biased one. nil: fused when the input
    /// has rank 4 or 5 and is normalized along its channel axis (first or last), as TensorFlow picks.
    public var fused: Bool?

    public init(axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001, center: Bool = true, scale: Bool = true,
                fused: Bool? = nil) {
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.fused = fused
    }

    public var baseName: String { "batch_normalization" }
    public var makesVariables: Bool { true }
    public var supportsMasking: Bool { true }

    /// The variables, in creation order: gamma, beta, moving mean, moving variance.
    func variables(channels: Int, weight: (WeightRequest) throws -> Variable) throws
        -> (gamma: Variable?, beta: Variable?, movingMean: Variable, movingVariance: Variable) {
        let gamma = try scale ? weight(WeightRequest(name: "gamma", shape: [channels], initializer: .ones)) : nil
        let beta = try center ? weight(WeightRequest(name: "beta", shape: [channels], initializer: .zeros)) : nil
        let movingMean = try weight(WeightRequest(name: "moving_mean", shape: [channels], initializer: .zeros, trainable: false))
        let movingVariance = try weight(WeightRequest(name: "moving_variance", shape: [channels], initializer: .ones,
                                                      trainable: false))
        return (gamma, beta, movingMean, movingVariance)
    }

    public func apply(_ x: Tensor, training: Bool, context: CallContext,
                      weight: (WeightRequest) throws -> Variable) throws -> Tensor {
        let rank = x.rank
        let axis = self.axis < 0 ? self.axis + rank : self.axis
        guard axis >= 0, axis < rank else {
            throw TensorError(op: "batch_normalization", shapes: [x.shape], reason: "has no axis \(self.axis)")
        }
        if fused == true, rank != 4, rank != 5 {
            throw TensorError(op: "batch_normalization", shapes: [x.shape], reason: "is not of rank 4 or 5, which fused: true needs")
        }
        let channels = x.shape[axis]
        let (gamma, beta, movingMean, movingVariance) = try variables(channels: channels, weight: weight)
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
        if x.kerasMask != nil {
            // Keras's batch normalization then takes the moments over the kept steps only.
            throw TensorError(op: "batch_normalization", shapes: [x.shape], reason: "is masked (an Embedding's mask_zero): Keras computes the training moments over the kept steps only, which is not supported yet")
        }
        let mean: Tensor, variance: Tensor, output: Tensor
        if axis == rank - 1,
           let computed = batchNormalizationInTraining(x, scale: scaleValue, offset: offset, epsilon: epsilon) {
            // Channels last: moments, normalization and their gradient in a few passes.
            (output, mean, variance) = computed
        } else {
            (mean, variance) = try moments(x, axes: (0..<rank).filter { $0 != axis })
            output = try ModelSpecRuntime.batchNormalization(
                x, mean: shaped(mean), variance: shaped(variance), offset: offset, scale: scaleValue, epsilon: epsilon)
        }
        let fused = self.fused ?? ((rank == 4 && (axis == 1 || axis == 3)) || (rank == 5 && (axis == 1 || axis == 4)))
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

extension LayerConfiguration {
    public static func batchNormalization(axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001,
                                          center: Bool = true, scale: Bool = true, fused: Bool? = nil, trainable: Bool = true,
                                          name: String? = nil) -> LayerConfiguration {
        LayerConfiguration(BatchNormalizationKernel(axis: axis, momentum: momentum, epsilon: epsilon, center: center, scale: scale,
                                                    fused: fused),
                           name: name, trainable: trainable)
    }
}

extension TF1 {
    /// `tf.compat.v1.layers.batch_normalization`; `training` defaults to false, as in TensorFlow.
    public func batchNormalization(_ x: Tensor, axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001,
                                   center: Bool = true, scale: Bool = true, fused: Bool? = nil, training: Bool = false,
                                   trainable: Bool = true, name: String? = nil, reuse: Reuse = .inherit) throws -> Tensor {
        try layer(.batchNormalization(axis: axis, momentum: momentum, epsilon: epsilon, center: center, scale: scale,
                                      fused: fused, trainable: trainable, name: name), x, training: training, reuse: reuse)
    }
}

extension v1 {
    /// `tf.compat.v1.layers.BatchNormalization`.
    public static func BatchNormalization(axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001,
                                          center: Bool = true, scale: Bool = true, fused: Bool? = nil, trainable: Bool = true,
                                          name: String? = nil) -> CompatLayer {
        CompatLayer(.batchNormalization(axis: axis, momentum: momentum, epsilon: epsilon, center: center,
                                        scale: scale, fused: fused, trainable: trainable, name: name))
    }
}

extension keras {
    /// `tf.keras.layers.BatchNormalization`.
    public static func BatchNormalization(axis: Int = -1, momentum: Float = 0.99, epsilon: Float = 0.001,
                                          center: Bool = true, scale: Bool = true, fused: Bool? = nil, trainable: Bool = true,
                                          path: String) -> KerasLayer {
        KerasLayer(.batchNormalization(axis: axis, momentum: momentum, epsilon: epsilon, center: center,
                                       scale: scale, fused: fused, trainable: trainable), path: path)
    }
}
